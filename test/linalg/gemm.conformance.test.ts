import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, type Matrix } from '../../src/linalg/index.ts';
import { createRng, scaledQuadForms } from '../../src/linalg/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { gemmBackends } from '../helpers/gemmBackends.ts';
import { createOnnxBackend } from '../../src/linalg/backends/onnx.ts';

function randomMatrix(rows: number, cols: number, dtype: 'float32' | 'float64', seed: number): Matrix {
  const rng = createRng(seed);
  const data = dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}

/** Naive float64 reference of op(A)·op(B). */
function naive(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Float64Array {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += (transA ? a.data[l * a.cols + i] : a.data[i * a.cols + l]) * (transB ? b.data[j * b.cols + l] : b.data[l * b.cols + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxRelErr(got: ArrayLike<number>, want: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [17, 33, 9], [64, 70, 129], [130, 3, 257]];

for (const { name, skip } of await gemmBackends()) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`matmul(a, b, { backend: '${name}' }) matches a naive float64 product for ${dtype}, every transpose and odd shapes`, { skip }, async () => {
      let seed = 1;
      for (const [m, k, n] of SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = randomMatrix(transA ? k : m, transA ? m : k, dtype, seed++);
            const b = randomMatrix(transB ? n : k, transB ? k : n, dtype, seed++);
            const c = await matmul(a, b, { transA, transB, backend: name });
            assert.equal(c.rows, m);
            assert.equal(c.cols, n);
            assert.equal(c.data instanceof Float64Array, dtype === 'float64');
            const tol = dtype === 'float32' ? 2e-6 * Math.sqrt(k) + 1e-6 : 1e-13 * k;
            const err = maxRelErr(c.data, naive(a, b, transA, transB));
            assert.ok(err <= tol, `${name} ${dtype} ${m}×${k}×${n} tA=${transA} tB=${transB}: rel err ${err} > ${tol}`);
          }
        }
      }
    });
  }

  test(`matmul(a, b, { backend: '${name}' }) reads operands that are views at an offset into a larger buffer`, { skip }, async () => {
    const big = randomMatrix(1, 40 * 30 + 7, 'float32', 99);
    const a: Matrix = { rows: 40, cols: 30, data: (big.data as Float32Array).subarray(7) };
    const b = randomMatrix(30, 20, 'float32', 100);
    const c = await matmul(a, b, { backend: name });
    assert.ok(maxRelErr(c.data, naive(a, b, false, false)) < 1e-5);
  });
}

test('matmul(a, b, { alpha, beta, c }) scales the product and adds beta·c', async () => {
  const a: Matrix = { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) };
  const b: Matrix = { rows: 2, cols: 2, data: new Float64Array([5, 6, 7, 8]) };
  const c: Matrix = { rows: 2, cols: 2, data: new Float64Array([1, 1, 1, 1]) };
  const out = await matmul(a, b, { alpha: -1, beta: 2, c });
  assert.deepEqual(Array.from(out.data), [-19 + 2, -22 + 2, -43 + 2, -50 + 2]);
});

test('matmul(a, b) of float32 and float64 operands returns float64; empty inner dimension gives zeros', async () => {
  const a: Matrix = { rows: 1, cols: 2, data: new Float32Array([1, 2]) };
  const b: Matrix = { rows: 2, cols: 1, data: new Float64Array([0.1, 0.2]) };
  const out = await matmul(a, b);
  assert.ok(out.data instanceof Float64Array);
  assert.equal(out.data[0], 1 * 0.1 + 2 * 0.2);
  const e = await matmul({ rows: 3, cols: 0, data: new Float32Array(0) }, { rows: 0, cols: 2, data: new Float32Array(0) });
  assert.deepEqual([e.rows, e.cols, Array.from(e.data)], [3, 2, [0, 0, 0, 0, 0, 0]]);
});

test('matmul(a, b) with mismatched inner dimensions throws MISMATCH naming both shapes', async () => {
  const a: Matrix = { rows: 2, cols: 3, data: new Float32Array(6) };
  await assert.rejects(matmul(a, a), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH' && /2×3 but op\(B\) is 2×3/.test(e.message));
  await assert.rejects(matmul(a, a, { transB: true, backend: 'nope' }), (e: unknown) => e instanceof Brain2MusicError && /Unknown GEMM backend 'nope'; known: onnx, js/.test(e.message));
});

for (const { name, skip } of await gemmBackends()) {
  test(`scaledQuadForms(m, a, d, mode, { backend: '${name}' }) matches xᵀGx and ‖Lx‖² computed naively in float64`, { skip }, async () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const r = 19;
      const b = 23;
      const s = 4;
      const q = 11;
      const l = randomMatrix(q, r, dtype, 5);
      const a = randomMatrix(r, b, dtype, 6);
      const d = randomMatrix(s, r, dtype, 7);
      const g = await matmul(l, l, { transA: true, backend: 'js' }); // LᵀL, r×r
      const want = new Float64Array(s * b);
      for (let al = 0; al < s; al++) for (let t = 0; t < b; t++) {
        const x = Array.from({ length: r }, (_, k) => d.data[al * r + k] * a.data[k * b + t]);
        let norm = 0;
        for (let i = 0; i < q; i++) {
          let v = 0;
          for (let k = 0; k < r; k++) v += l.data[i * r + k] * x[k];
          norm += v * v;
        }
        want[al * b + t] = norm;
      }
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      for (const mode of ['gram', 'norm'] as const) {
        const out = await scaledQuadForms(mode === 'gram' ? g : l, a, d, mode, { backend: name });
        assert.deepEqual([out.rows, out.cols], [s, b]);
        const err = maxRelErr(out.data, want);
        assert.ok(err < tol, `${dtype} ${mode}: rel err ${err}`);
      }
    }
  });
}

test('the ONNX backend runs scaledQuadForms over many columns in blocks (4 runs here) with the same results as one run', async (t) => {
  let blocked;
  let whole;
  try {
    // 4 alphas × 19 rows × 16 columns per run
    blocked = await createOnnxBackend({ threads: 1, quadBlockFloats: 4 * 19 * 16 });
    whole = await createOnnxBackend({ threads: 1 });
  } catch (err) {
    t.skip(`onnxruntime-node cannot start here: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    for (const mode of ['gram', 'norm'] as const) {
      const m = randomMatrix(19, 19, 'float32', 8);
      const g = mode === 'gram' ? await matmul(m, m, { transA: true, backend: 'js' }) : m;
      const a = randomMatrix(19, 50, 'float32', 9); // blocks of 16, 16, 16 and 2 columns
      const d = randomMatrix(4, 19, 'float32', 10);
      const got = await blocked.scaledQuadForms!(g, a, d, mode);
      const want = await whole.scaledQuadForms!(g, a, d, mode);
      assert.deepEqual([got.rows, got.cols], [4, 50]);
      assert.ok(maxRelErr(got.data, Float64Array.from(want.data)) < 1e-6, mode);
    }
  } finally {
    await blocked.dispose?.();
    await whole.dispose?.();
  }
});
