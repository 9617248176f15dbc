import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, eigh, eighMany } from '../../src/linalg/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

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
  const got = await eighMany(mats, { threads: 2 });
  mats.forEach((m, i) => {
    const want = eigh(m.a, m.n);
    assert.deepEqual(got[i].values, want.values);
    assert.deepEqual(got[i].vectors, want.vectors);
  });
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
