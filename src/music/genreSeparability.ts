import { fail } from '../errors.ts';

/** Solves (A) X = B for symmetric positive definite A (p × p, row-major) by Cholesky; B is p × m. */
function choleskySolve(A: Float64Array, B: Float64Array, p: number, m: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * p + j];
    }
  }
  const X = new Float64Array(p * m);
  for (let c = 0; c < m; c++) {
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = B[i * m + c];
      for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
      y[i] = s / L[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < p; k++) s -= L[k * p + i] * X[k * m + c];
      X[i * m + c] = s / L[i * p + i];
    }
  }
  return X;
}

/**
 * genreSeparability(features, labels, { alpha, folds }) → cross-validated accuracy of a linear
 * ridge classifier (one-hot targets, features z-scored with training-fold statistics, argmax of
 * the scores), the check that rendered audio carries its genre. Folds are interleaved
 * (sample i → fold i mod folds; pass items in a mixed order). Chance is 1 / number of classes.
 * A small closed-form solver (Cholesky), enough for tens of features.
 */
export function genreSeparability(features: readonly Float64Array[], labels: readonly string[], opts: { alpha?: number; folds?: number } = {}): number {
  const n = features.length;
  if (n !== labels.length || n < 2) fail('MISMATCH', `genreSeparability: ${n} feature rows but ${labels.length} labels (need at least 2).`);
  const alpha = opts.alpha ?? 10;
  const folds = Math.min(opts.folds ?? n, n);
  const p = features[0].length;
  const classes = [...new Set(labels)].sort();
  const m = classes.length;
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (i % folds === f ? test : train).push(i);
    if (test.length === 0) continue;
    const mu = new Float64Array(p);
    const sd = new Float64Array(p);
    for (const i of train) for (let k = 0; k < p; k++) mu[k] += features[i][k] / train.length;
    for (const i of train) for (let k = 0; k < p; k++) sd[k] += (features[i][k] - mu[k]) ** 2 / train.length;
    for (let k = 0; k < p; k++) sd[k] = Math.sqrt(sd[k]) || 1;
    const A = new Float64Array(p * p);
    const B = new Float64Array(p * m);
    const z = new Float64Array(p);
    for (const i of train) {
      for (let k = 0; k < p; k++) z[k] = (features[i][k] - mu[k]) / sd[k];
      const c = classes.indexOf(labels[i]);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b <= a; b++) A[a * p + b] += z[a] * z[b];
        for (let g = 0; g < m; g++) B[a * m + g] += z[a] * ((g === c ? 1 : 0) - 1 / m);
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) A[b * p + a] = A[a * p + b];
      A[a * p + a] += alpha;
    }
    const W = choleskySolve(A, B, p, m);
    for (const i of test) {
      for (let k = 0; k < p; k++) z[k] = (features[i][k] - mu[k]) / sd[k];
      let best = 0;
      let bestScore = -Infinity;
      for (let g = 0; g < m; g++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += z[k] * W[k * m + g];
        if (s > bestScore) { bestScore = s; best = g; }
      }
      if (classes[best] === labels[i]) correct++;
    }
  }
  return correct / n;
}
