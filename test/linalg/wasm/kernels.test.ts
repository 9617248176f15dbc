import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng } from '../../../src/linalg/index.ts';
import { WasmKernels, type Prec } from '../../../src/linalg/wasm/kernels.ts';

const rng = createRng(11);

/** Fills count elements from element index p with N(0, 1) draws; returns them as float64. */
function fill(k: WasmKernels, prec: Prec, p: number, count: number): Float64Array {
  const vals = Float64Array.from({ length: count }, () => rng.normal());
  k.view(prec).set(vals, p);
  return Float64Array.from(k.view(prec).subarray(p, p + count)); // as rounded to prec
}

const TOL: Record<Prec, number> = { f64: 1e-12, f32: 2e-4 };

test('WasmKernels.gemm(prec, tA, tB, ...) adds alpha·op(A)·op(B) for every transpose, across MC/KC/NC block edges, B packed or read in place, leaving padding rows alone', () => {
  const k = new WasmKernels();
  // 130 > MC (128), 300 > KC (256), 1540 > NC (1536); 7×5×3 is smaller than one register tile;
  // m ≤ 2·MC reads an untransposed B in place, m = 301 packs it
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 5, 3], [130, 97, 300], [9, 1540, 20], [301, 13, 260]];
  for (const prec of ['f64', 'f32'] as const) {
    for (const [m, n, kk] of shapes) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const mark = k.mark();
          const lda = (tA ? kk : m) + 3;
          const ldb = (tB ? n : kk) + 1;
          const ldc = m + 2;
          const a = k.alloc(lda * (tA ? m : kk), prec);
          const b = k.alloc(ldb * (tB ? kk : n), prec);
          const c = k.alloc(ldc * n, prec);
          const av = fill(k, prec, a, lda * (tA ? m : kk));
          const bv = fill(k, prec, b, ldb * (tB ? kk : n));
          const c0 = fill(k, prec, c, ldc * n);
          k.gemm(prec, tA, tB, m, n, kk, -0.5, a, lda, b, ldb, c, ldc);
          const h = k.view(prec);
          let err = 0;
          let pad = 0;
          for (let j = 0; j < n; j++) {
            for (let i = 0; i < m; i++) {
              let s = 0;
              for (let p = 0; p < kk; p++) s += (tA ? av[i * lda + p] : av[p * lda + i]) * (tB ? bv[p * ldb + j] : bv[j * ldb + p]);
              err = Math.max(err, Math.abs(c0[j * ldc + i] - 0.5 * s - h[c + j * ldc + i]) / (1 + Math.abs(s)));
            }
            for (let i = m; i < ldc; i++) pad = Math.max(pad, Math.abs(h[c + j * ldc + i] - c0[j * ldc + i]));
          }
          assert.ok(err < TOL[prec], `${prec} ${m}×${n}×${kk} tA=${tA} tB=${tB}: error ${err}`);
          assert.equal(pad, 0, 'rows past m untouched');
          k.release(mark);
        }
      }
    }
  }
});

test('WasmKernels.symv / gemvT / gemvN / transpose match their definitions (symv reads only the lower triangle; sizes below and above the split)', () => {
  const k = new WasmKernels();
  for (const prec of ['f64', 'f32'] as const) {
    for (const m of [1, 2, 3, 5, 8, 13, 101, 800]) {
      const mark = k.mark();
      const lda = m + 1;
      const a = k.alloc(lda * m, prec);
      const x = k.alloc(m, prec);
      const y = k.alloc(m, prec);
      const av = fill(k, prec, a, lda * m);
      const xv = fill(k, prec, x, m);
      k.symv(prec, m, a, lda, x, y);
      const h = k.view(prec);
      let err = 0;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += (i >= j ? av[j * lda + i] : av[i * lda + j]) * xv[j];
        err = Math.max(err, Math.abs(s - h[y + i]) / (1 + Math.abs(s)));
      }
      assert.ok(err < TOL[prec], `${prec} symv m=${m}: ${err}`);
      k.release(mark);
    }
    for (const [m, n] of [[1, 1], [5, 3], [8, 2], [101, 7], [3, 10]]) {
      const mark = k.mark();
      const lda = m + 1;
      const a = k.alloc(lda * n, prec);
      const x = k.alloc(Math.max(m, n), prec);
      const y = k.alloc(Math.max(m, n), prec);
      const av = fill(k, prec, a, lda * n);
      const xv = fill(k, prec, x, Math.max(m, n));
      const y0 = fill(k, prec, y, Math.max(m, n));
      k.gemvT(prec, m, n, a, lda, x, y, 2);
      let h = k.view(prec);
      let err = 0;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += av[j * lda + i] * xv[i];
        err = Math.max(err, Math.abs(2 * s - h[y + j]));
      }
      k.view(prec).set(y0, y);
      k.gemvN(prec, m, n, a, lda, x, y, -1.5);
      h = k.view(prec);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += av[j * lda + i] * xv[j];
        err = Math.max(err, Math.abs(y0[i] - 1.5 * s - h[y + i]));
      }
      assert.ok(err < TOL[prec] * 10, `${prec} gemv ${m}×${n}: ${err}`);
      k.release(mark);
    }
    const mark = k.mark();
    const [m, n] = [45, 70];
    const src = k.alloc(m * n, prec);
    const dst = k.alloc(m * n, prec);
    const sv = fill(k, prec, src, m * n);
    k.transpose(prec, m, n, src, m, dst, n);
    const h = k.view(prec);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) assert.equal(h[dst + i * n + j], sv[j * m + i]);
    k.release(mark);
  }
});

test('WasmKernels with setThreads(2) splits GEMMs and symv over a helper thread and gives bit-identical results', async () => {
  const k = new WasmKernels();
  k.setThreads(2);
  for (let i = 0; i < 200 && !k.parallel; i++) await sleep(25);
  assert.ok(k.parallel, 'the helper thread came up within 5 s');
  for (const prec of ['f64', 'f32'] as const) {
    const n = 800; // above the symv split size (768)
    const g = 480; // GEMMs of 480³ and 480×40×480 multiply-adds: above the split size (2²³)
    const a = k.alloc(n * n, prec);
    const b = k.alloc(n * n, prec);
    fill(k, prec, a, n * n);
    fill(k, prec, b, n * n);
    const outs: Float64Array[] = [];
    for (const threads of [1, 2]) {
      k.setThreads(threads);
      const c = k.alloc(g * g, prec);
      k.zero(prec, g, g, c, g);
      k.gemm(prec, false, true, g, g, g, 1, a, n, b, n, c, g); // split by columns
      k.gemm(prec, true, false, g, 40, g, 1, a, n, b, n, c, g); // n small: split by rows
      const y = k.alloc(n, prec);
      k.symv(prec, n, a, n, b, y);
      const h = k.view(prec);
      outs.push(Float64Array.from([...h.subarray(c, c + g * g), ...h.subarray(y, y + n)]));
    }
    assert.deepEqual(outs[1], outs[0], `${prec}: two threads give the one-thread bits`);
  }
});
