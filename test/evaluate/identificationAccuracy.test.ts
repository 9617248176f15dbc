import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identificationAccuracy, rowCorrelations, assertFails } from './imports.ts';
import { randn } from './rng.ts';

// Brute-force reference: Pearson r by the textbook sum formula, one pair at a time.
function pearsonPair(x: ArrayLike<number>, xo: number, y: ArrayLike<number>, yo: number, dim: number): number {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let d = 0; d < dim; d++) {
    const a = x[xo + d], b = y[yo + d];
    sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b;
  }
  const cov = dim * sxy - sx * sy;
  const den = Math.sqrt((dim * sxx - sx * sx) * (dim * syy - sy * sy));
  return cov / den;
}

function bruteForce(P: ArrayLike<number>, T: ArrayLike<number>, n: number, dim: number): number[] {
  const acc: number[] = [];
  for (let i = 0; i < n; i++) {
    const own = pearsonPair(P, i * dim, T, i * dim, dim);
    let wins = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (own > pearsonPair(P, i * dim, T, j * dim, dim)) wins++;
    }
    acc.push(wins / (n - 1));
  }
  return acc;
}

test('identificationAccuracy(P, T) of a hand-worked 3-item case excludes j = i and does not count ties', () => {
  // dim 2: every non-constant row correlates +1 with increasing rows and -1 with decreasing ones.
  const P = [0, 1, /**/ 1, 0, /**/ 0, 1];
  const T = [0, 1, /**/ 1, 0, /**/ 1, 0];
  // C = [[1,-1,-1], [-1,1,1], [1,-1,-1]]
  //   item 0: own 1 beats -1 and -1          → 2/2 = 1
  //   item 1: own 1 beats -1, ties 1 (no)    → 1/2 = 0.5
  //   item 2: own -1 loses to 1, ties -1     → 0/2 = 0
  const res = identificationAccuracy(P, T, 3, 2);
  assert.deepEqual([...res.perItem], [1, 0.5, 0]);
  assert.equal(res.mean, 0.5);
  assert.equal(res.chance, 0.5);
  assert.equal(res.n, 3);
});

test('identificationAccuracy(P, T) is 1 for perfect predictions of 4 items, not 1 + 1/(n-1)', () => {
  const T = [1, 0, 0, 0, /**/ 0, 1, 0, 0, /**/ 0, 0, 1, 0, /**/ 0, 0, 0, 1];
  const res = identificationAccuracy(T, T, 4, 4);
  assert.deepEqual([...res.perItem], [1, 1, 1, 1]);
  assert.equal(res.mean, 1);
});

test('identificationAccuracy(P, T) with identical predictions for every item scores their targets\' ranks, mean 0.5 without ties; ties fail, a constant row scores 0', () => {
  // one prediction for all 9 items, targets with distinct correlations to it: item i scores the
  // rank of its own target among the others, so the mean is (0 + 1 + … + 8) / 8 / 9 = 0.5
  const n = 9, dim = 5;
  const T9 = randn(n * dim, 31);
  const p = randn(dim, 32);
  const same = identificationAccuracy(Float64Array.from({ length: n * dim }, (_, k) => p[k % dim]!), T9, n, dim);
  assert.deepEqual([...same.perItem].sort((a, b) => a - b), Array.from({ length: n }, (_, k) => k / (n - 1)));
  assert.equal(same.mean, 0.5);
  const P = [1, 2, 3, /**/ 1, 2, 3, /**/ 1, 2, 3];
  const T = [1, 2, 3, /**/ 3, 1, 2, /**/ 2, 3, 1];
  // row 0: own r = 1; C[0][1] = r([1,2,3],[3,1,2]) = -0.5; C[0][2] = -0.5 → item 0 scores 1.
  // rows 1, 2 are the same prediction: own r = -0.5 < 1 = C[i][0], ties the other → 0.
  const res = identificationAccuracy(P, T, 3, 3);
  assert.deepEqual([...res.perItem], [1, 0, 0]);
  const flat = identificationAccuracy([5, 5, 5, 5, 5, 5], [1, 2, 2, 1, 0, 0], 2, 3);
  assert.deepEqual([...flat.perItem], [0, 0], 'a constant prediction correlates 0 with every target: all ties');
});

test('identificationAccuracy(P, T) equals a brute-force reference on random data', () => {
  const n = 37, dim = 11;
  const T = randn(n * dim, 1);
  const noise = randn(n * dim, 2);
  const P = new Float32Array(n * dim);
  for (let k = 0; k < P.length; k++) P[k] = 0.6 * T[k] + noise[k];
  const ref = bruteForce(P, T, n, dim);
  const res = identificationAccuracy(P, T, n, dim);
  assert.deepEqual([...res.perItem], ref);
  assert.ok(Math.abs(res.mean - ref.reduce((a, b) => a + b, 0) / n) < 1e-15);
  assert.ok(res.mean > 0.7 && res.mean < 1, `signal gives accuracy well above chance, got ${res.mean}`);
});

test('identificationAccuracy(P, T) of independent data is near chance 0.5', () => {
  const n = 300, dim = 16;
  const res = identificationAccuracy(randn(n * dim, 3), randn(n * dim, 4), n, dim);
  assert.ok(Math.abs(res.mean - 0.5) < 0.03, `got ${res.mean}`);
});

test('rowCorrelations(P, T) matches pairwise Pearson and gives 0 for a constant row', () => {
  const P = [1, 2, 3, /**/ 4, 4, 4];
  const T = [3, 2, 1, /**/ 1, 2, 4];
  const C = rowCorrelations(P, T, 2, 3);
  assert.ok(Math.abs(C[0] - -1) < 1e-15);
  assert.ok(Math.abs(C[1] - pearsonPair(P, 0, T, 3, 3)) < 1e-15);
  assert.equal(C[2], 0);
  assert.equal(C[3], 0);
});

test('identificationAccuracy(P, T) rejects mismatched sizes, one item, and NaN', () => {
  assertFails(() => identificationAccuracy([1, 2, 3], [1, 2, 3, 4], 2, 2), 'MISMATCH');
  assertFails(() => identificationAccuracy([1, 2], [1, 2], 1, 2), 'BAD_INPUT');
  assertFails(() => identificationAccuracy([1, NaN, 0, 1], [1, 0, 0, 1], 2, 2), 'BAD_INPUT');
});
