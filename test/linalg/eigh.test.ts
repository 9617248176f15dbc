import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { EIGH_BLOCKED_MIN_N, createRng, eigh, eighMany, eighQl } from '../../src/linalg/index.ts';
import { readNpy, writeNpy } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { MERGE_TASK_TABLE } from '../../src/linalg/eigh/mergeTasks.ts';
import { wasmKernels } from '../../src/linalg/wasm/kernels.ts';

const PY = '/usr/bin/python3';
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-eigh-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function py(script: string, ...args: string[]): string {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

/** A random orthogonal n×n matrix (Gram–Schmidt of a Gaussian matrix), row-major. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < j; c++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + c] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * q[i * n + c];
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) q[i * n + j] = v[i] / norm;
  }
  return q;
}

/** Q·diag(lambda)·Qᵀ. */
function compose(q: Float64Array, lambda: number[], n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
    a[i * n + j] = s;
  }
  return a;
}

/** max |A V − V Λ| / ‖A‖max and max |VᵀV − I|. */
function residuals(a: Float64Array, values: Float64Array, v: Float64Array, n: number): { res: number; orth: number } {
  let res = 0;
  let orth = 0;
  let norm = 0;
  for (const x of a) norm = Math.max(norm, Math.abs(x));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    let o = 0;
    for (let k = 0; k < n; k++) {
      s += a[i * n + k] * v[k * n + j];
      o += v[k * n + i] * v[k * n + j];
    }
    res = Math.max(res, Math.abs(s - v[i * n + j] * values[j]));
    orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
  }
  return { res: norm === 0 ? res : res / norm, orth };
}

test('eigh(a, 2) of [[2, 1], [1, 2]] gives values [1, 3] and vectors ±[1, ∓1]/√2, ±[1, 1]/√2', () => {
  const { values, vectors } = eigh(new Float64Array([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(values[0] - 1) < 1e-15 && Math.abs(values[1] - 3) < 1e-15);
  assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-15);
  assert.ok(Math.abs(vectors[0] + vectors[2]) < 1e-15, 'first vector ∝ [1, -1]');
  assert.ok(Math.abs(vectors[1] - vectors[3]) < 1e-15, 'second vector ∝ [1, 1]');
});

test('eigh(a, n) recovers known spectra of Q·diag(λ)·Qᵀ, ill-conditioned and rank-deficient included', () => {
  const n = 40;
  const spectra: Record<string, number[]> = {
    'well conditioned': Array.from({ length: n }, (_, i) => 1 + i),
    'condition 1e14': Array.from({ length: n }, (_, i) => 10 ** (-14 * i / (n - 1))),
    'rank 10 (30 zero eigenvalues)': Array.from({ length: n }, (_, i) => (i < 10 ? 5 + i : 0)),
    'repeated eigenvalues': Array.from({ length: n }, (_, i) => (i % 3) - 1),
  };
  let seed = 7;
  for (const [label, lambda] of Object.entries(spectra)) {
    const a = compose(randomOrthogonal(n, seed++), lambda, n);
    const { values, vectors } = eigh(a, n);
    const sorted = [...lambda].sort((x, y) => x - y);
    const scale = Math.max(...lambda.map(Math.abs));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i] - sorted[i]) <= 1e-13 * scale, `${label}: λ${i} = ${values[i]} vs ${sorted[i]}`);
    const { res, orth } = residuals(a, values, vectors, n);
    assert.ok(res < 1e-13, `${label}: residual ${res}`);
    assert.ok(orth < 1e-13, `${label}: orthogonality ${orth}`);
  }
});

test('eigh(XᵀX) of near-singular Gram matrices (p > n; n > p with two nearly collinear columns) has orthonormal vectors and tiny residual', () => {
  const rng = createRng(3);
  const p = 60;
  for (const n of [20, 80]) {
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    for (let i = 0; i < n; i++) x[i * p + 1] = x[i * p] * (1 + 1e-9);
    const a = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[k * p + i] * x[k * p + j];
      a[i * p + j] = s;
    }
    const { values, vectors } = eigh(a, p);
    const { res, orth } = residuals(a, values, vectors, p);
    assert.ok(res < 1e-13, `n=${n}: residual ${res}`);
    assert.ok(orth < 1e-13, `n=${n}: orthogonality ${orth}`);
    // rank is min(n, p) for n < p, and p − 1 when the collinear pair is the only defect
    const zeroish = Array.from(values).filter((v) => Math.abs(v) < 1e-12 * values[p - 1]).length;
    assert.equal(zeroish, n < p ? p - n : 1, `n=${n}`);
    assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), 'ascending');
    if (n > p) {
      // the null direction is (e0 − e1)/√2 up to sign
      const v0 = vectors[0 * p];
      const v1 = vectors[1 * p];
      assert.ok(Math.abs(Math.abs(v0) - Math.SQRT1_2) < 1e-6 && Math.abs(v0 + v1) < 1e-6, `null vector starts ${v0}, ${v1}`);
    }
  }
});

test('eigh(a, n) of the zero matrix, the identity and a 1×1 matrix', () => {
  assert.deepEqual(Array.from(eigh(new Float64Array(9), 3).values), [0, 0, 0]);
  const id = eigh(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), 3);
  assert.deepEqual(Array.from(id.values), [1, 1, 1]);
  assert.ok(residuals(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), id.values, id.vectors, 3).orth < 1e-15);
  const one = eigh(new Float64Array([-4]), 1);
  assert.deepEqual([one.values[0], Math.abs(one.vectors[0])], [-4, 1]);
  assert.equal(eigh(new Float64Array(0), 0).values.length, 0);
});

test('eigh(a, n) rejects a wrong length and non-finite entries', () => {
  assert.throws(() => eigh(new Float64Array(5), 2), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH');
  assert.throws(() => eigh(new Float64Array([1, NaN, NaN, 1]), 2), (e: unknown) => e instanceof Brain2MusicError && /non-finite entry at \(0, 1\)/.test(e.message));
});

test('eighMany(mats) on worker threads returns exactly what eigh returns for each matrix, in order', async () => {
  const n = 200;
  const mats = [3, 4, 5].map((seed) => {
    const rng = createRng(seed);
    const x = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j] + x[j * n + i];
    return { a, n };
  });
  const got = await eighMany(mats, { threads: 2, workers: 'always' });
  assert.deepEqual(await eighMany(mats, { threads: 2 }), got, 'the default (here: one after the other) gives the same');
  mats.forEach((m, i) => {
    const want = eigh(m.a, m.n);
    assert.deepEqual(got[i].values, want.values);
    assert.deepEqual(got[i].vectors, want.vectors);
  });
});

test('eighMany on its worker pool fails with eigh\'s own error for a bad matrix, and the pool keeps working', async () => {
  const bad = { a: Float64Array.of(1, NaN, NaN, 1), n: 2 };
  const good = { a: Float64Array.of(2, 1, 1, 2), n: 2 };
  await assert.rejects(eighMany([good, bad], { threads: 2, workers: 'always' }), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /non-finite entry at \(0, 1\)/.test(e.message));
  const [res] = await eighMany([good, good], { threads: 2, workers: 'always' });
  assert.deepEqual(res.values, eigh(good.a, good.n).values, 'eigenvalues 1 and 3, the bits of eigh here');
});

test('eigh(X·Xᵀ) of a large rank-deficient Gram matrix (600 × 600, rank 480, norm ~1e6) converges with a small residual', () => {
  // A ridge kernel of an ROI with more voxels than training rows: 120 zero eigenvalues. The QL
  // deflation test must be relative to the matrix norm, or the zero cluster never converges.
  const rng = createRng(1);
  const n = 600, k = 480;
  const X = Float64Array.from({ length: n * k }, () => rng.normal() * 30);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += X[i * k + t]! * X[j * k + t]!;
    A[i * n + j] = s;
    A[j * n + i] = s;
  }
  const { values, vectors } = eigh(A, n);
  const top = values[n - 1]!;
  assert.ok(Math.abs(values[n - k - 1]!) < 1e-9 * top, 'the null space is numerically zero');
  assert.ok(values[n - k]! > 1e-3 * top, 'the rank-480 part is well away from zero');
  for (const c of [0, 119, 120, 300, n - 1]) {
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * vectors[j * n + c]!;
      worst = Math.max(worst, Math.abs(s - values[c]! * vectors[i * n + c]!));
    }
    assert.ok(worst < 1e-12 * top, `residual of eigenpair ${c}: ${worst}`);
  }
});

/** ‖AV − VΛ‖_F / ‖A‖_F and max |VᵀV − I| in float64, for row-major A and V (columns = vectors). */
function accuracy(a: ArrayLike<number>, values: ArrayLike<number>, v: ArrayLike<number>, n: number): { res: number; orth: number } {
  let num = 0;
  let den = 0;
  let orth = 0;
  for (let i = 0; i < n * n; i++) den += a[i] * a[i];
  const av = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k];
      for (let j = 0; j < n; j++) av[i * n + j] += x * v[k * n + j];
    }
  }
  for (let i = 0; i < n * n; i++) num += (av[i] - v[i] * values[i % n]) ** 2;
  const g = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const x = v[k * n + i];
      for (let j = 0; j < n; j++) g[i * n + j] += x * v[k * n + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) orth = Math.max(orth, Math.abs(g[i * n + j] - (i === j ? 1 : 0)));
  return { res: den === 0 ? Math.sqrt(num) : Math.sqrt(num / den), orth };
}

/** numpy.linalg.eigvalsh (float64) of each n×n matrix, through .npy files. */
function numpyValues(mats: { a: ArrayLike<number>; n: number }[]): Float64Array[] {
  const paths = mats.map((m, i) => {
    const p = join(dir, `m${i}.npy`);
    writeNpy(p, Float64Array.from(m.a), [m.n, m.n]);
    return p;
  });
  py('import sys, numpy as np\nfor p in sys.argv[1:]: np.save(p[:-4] + "-w.npy", np.linalg.eigvalsh(np.load(p)))', ...paths);
  return paths.map((p) => readNpy(p.slice(0, -4) + '-w.npy').data as Float64Array);
}

/** Seeded test matrices (row-major, symmetric), the classes the solver must handle. */
function testMatrices(n: number, seed: number): { label: string; a: Float64Array }[] {
  const rng = createRng(seed);
  const sym = (f: (i: number, j: number) => number): Float64Array => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = f(i, j);
    return a;
  };
  const gram = (rank: number, scale: number): Float64Array => {
    const x = Float64Array.from({ length: n * rank }, () => rng.normal() * scale);
    return sym((i, j) => {
      let s = 0;
      for (let t = 0; t < rank; t++) s += x[i * rank + t] * x[j * rank + t];
      return s;
    });
  };
  const q = randomOrthogonal(n, seed + 1);
  return [
    { label: 'random N(0, 1)', a: sym(() => rng.normal()) },
    // a linear kernel with more rows than its rank: a large null space (the case that once broke QL)
    { label: `kernel XXᵀ, rank ${Math.floor(n / 3)}`, a: gram(Math.floor(n / 3), 30) },
    { label: 'clustered: 4 values ±1e-12', a: compose(q, Array.from({ length: n }, (_, i) => [1, 1 + 1e-12, 2, -1][i % 4]), n) },
    { label: 'repeated: −1, 0, 1', a: compose(q, Array.from({ length: n }, (_, i) => (i % 3) - 1), n) },
    { label: 'graded 1 … 1e-12', a: sym((i, j) => rng.normal() * 10 ** ((-12 * (i + j)) / (2 * n))) },
    { label: 'diagonal with repeats', a: sym((i, j) => (i === j ? Math.floor(rng.uniform() * 5) : 0)) },
  ];
}

test('eigh(a, n) (blocked path) matches numpy.linalg.eigh on random, rank-deficient kernel, clustered, repeated, graded and diagonal matrices, float64 and float32', () => {
  const n = 160;
  assert.ok(n >= EIGH_BLOCKED_MIN_N);
  const mats = testMatrices(n, 31);
  const want = numpyValues(mats.map((m) => ({ a: m.a, n })));
  mats.forEach(({ label, a }, mi) => {
    const scale = Math.max(...want[mi].map(Math.abs));
    // float64: eigenvalues to 1e-12·‖A‖, residual and orthogonality to 1e-12 (spec: 1e-10)
    const r = eigh(a, n);
    for (let j = 0; j < n; j++) assert.ok(Math.abs(r.values[j] - want[mi][j]) <= 1e-12 * scale, `${label}: λ${j} = ${r.values[j]} vs numpy ${want[mi][j]}`);
    const acc = accuracy(a, r.values, r.vectors, n);
    assert.ok(acc.res <= 1e-12 && acc.orth <= 1e-12, `${label}: residual ${acc.res}, orthogonality ${acc.orth}`);
    // float32: computed in float32; eigenvalues to 2e-5·‖A‖, residual and orthogonality to 2e-5 (spec: 1e-4)
    const a32 = Float32Array.from(a);
    const r32 = eigh(a32, n);
    assert.ok(r32.values instanceof Float32Array && r32.vectors instanceof Float32Array);
    for (let j = 0; j < n; j++) assert.ok(Math.abs(r32.values[j] - want[mi][j]) <= 2e-5 * scale, `${label} float32: λ${j} = ${r32.values[j]} vs numpy ${want[mi][j]}`);
    const acc32 = accuracy(a32, r32.values, r32.vectors, n);
    assert.ok(acc32.res <= 2e-5 && acc32.orth <= 2e-5, `${label} float32: residual ${acc32.res}, orthogonality ${acc32.orth}`);
  });
});

test("eigh(a, n, { method: 'blocked' }) of 1×1, 2×2 and 3×3 matrices gives the closed-form eigenpairs", () => {
  const one = eigh(new Float64Array([-4]), 1, { method: 'blocked' });
  assert.deepEqual([one.values[0], Math.abs(one.vectors[0])], [-4, 1]);
  const two = eigh(new Float64Array([2, 1, 1, 2]), 2, { method: 'blocked' });
  assert.ok(Math.abs(two.values[0] - 1) < 1e-15 && Math.abs(two.values[1] - 3) < 1e-15);
  assert.ok(Math.abs(Math.abs(two.vectors[0]) - Math.SQRT1_2) < 1e-15 && Math.abs(two.vectors[0] + two.vectors[2]) < 1e-15);
  // [[2, −1, 0], [−1, 2, −1], [0, −1, 2]]: 2 − √2, 2, 2 + √2
  const three = eigh(new Float64Array([2, -1, 0, -1, 2, -1, 0, -1, 2]), 3, { method: 'blocked' });
  [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((w, i) => assert.ok(Math.abs(three.values[i] - w) < 1e-14, `λ${i}`));
  assert.ok(accuracy(new Float64Array([2, -1, 0, -1, 2, -1, 0, -1, 2]), three.values, three.vectors, 3).res < 1e-15);
  const tiny32 = eigh(new Float32Array([0, 0, 0, 5]), 2, { method: 'blocked' });
  assert.deepEqual(Array.from(tiny32.values), [0, 5]);
});

test("eigh(a, n, { vectors: false }) returns the same eigenvalues and no vectors; method 'ql' and 'blocked' agree; below EIGH_BLOCKED_MIN_N eigh is eighQl bit for bit", () => {
  const n = 200;
  const rng = createRng(12);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  const full = eigh(a, n);
  const vals = eigh(a, n, { vectors: false });
  assert.equal(vals.vectors.length, 0);
  const ql = eigh(a, n, { method: 'ql' });
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(vals.values[i] - full.values[i]) < 1e-13 * 30, `values only: λ${i}`);
    assert.ok(Math.abs(ql.values[i] - full.values[i]) < 1e-13 * 30, `ql: λ${i}`);
    // eigenvectors agree up to sign (the spectrum of a random matrix is simple)
    let dot = 0;
    for (let k = 0; k < n; k++) dot += ql.vectors[k * n + i] * full.vectors[k * n + i];
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `ql: v${i}·v${i} = ${dot}`);
  }
  const m = EIGH_BLOCKED_MIN_N - 1;
  const small = a.subarray(0, m * m);
  assert.deepEqual(eigh(small, m), eighQl(small, m));
});

test('eigh(a, n, { threads }) gives the same bits on one and two threads (the helper up, with its merge tasks)', async () => {
  const n = 700;
  const rng = createRng(13);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  const k = wasmKernels();
  k.setThreads(2, MERGE_TASK_TABLE);
  for (let i = 0; i < 400 && !k.parallelTasks; i++) await sleep(25);
  assert.ok(k.parallelTasks, 'the helper thread loaded the merge tasks (mergeTasks.ts through tsx) within 10 s');
  const one = eigh(a, n, { threads: 1 });
  const two = eigh(a, n, { threads: 2 });
  assert.deepEqual(two.values, one.values);
  assert.deepEqual(two.vectors, one.vectors);
});
