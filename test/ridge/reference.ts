// Independent float64 references for the ridge tests: centred normal equations solved by
// Gaussian elimination with partial pivoting (no eigendecomposition involved).
import { createRng, type Matrix } from '../../src/linalg/index.ts';
import { scorePredictions, type RidgeScore } from '../../src/ridge/index.ts';

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** Solves A x = B (A k×k, B k×m, both row-major float64 copies). */
export function solve(a: Float64Array, b: Float64Array, k: number, m: number): Float64Array {
  const A = Float64Array.from(a);
  const B = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r * k + c]) > Math.abs(A[piv * k + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < k; j++) [A[c * k + j], A[piv * k + j]] = [A[piv * k + j], A[c * k + j]];
      for (let j = 0; j < m; j++) [B[c * m + j], B[piv * m + j]] = [B[piv * m + j], B[c * m + j]];
    }
    for (let r = c + 1; r < k; r++) {
      const f = A[r * k + c] / A[c * k + c];
      if (f === 0) continue;
      for (let j = c; j < k; j++) A[r * k + j] -= f * A[c * k + j];
      for (let j = 0; j < m; j++) B[r * m + j] -= f * B[c * m + j];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    for (let j = 0; j < m; j++) {
      let s = B[c * m + j];
      for (let r = c + 1; r < k; r++) s -= A[c * k + r] * B[r * m + j];
      B[c * m + j] = s / A[c * k + c];
    }
  }
  return B;
}

/**
 * Closed-form ridge on rows `rows` of X, Y: centre with their means, β = (XcᵀXc + αI)⁻¹ XcᵀYc.
 * Returns β (p×T), and the means.
 */
export function closedForm(X: Matrix, Y: Matrix, alpha: number, rows?: number[]): { beta: Float64Array; xm: Float64Array; ym: Float64Array } {
  const idx = rows ?? Array.from({ length: X.rows }, (_, i) => i);
  const p = X.cols;
  const T = Y.cols;
  const xm = new Float64Array(p);
  const ym = new Float64Array(T);
  for (const i of idx) {
    for (let j = 0; j < p; j++) xm[j] += get(X, i, j) / idx.length;
    for (let t = 0; t < T; t++) ym[t] += get(Y, i, t) / idx.length;
  }
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * T);
  for (const i of idx) {
    for (let j = 0; j < p; j++) {
      const xj = get(X, i, j) - xm[j];
      for (let l = 0; l < p; l++) xtx[j * p + l] += xj * (get(X, i, l) - xm[l]);
      for (let t = 0; t < T; t++) xty[j * T + t] += xj * (get(Y, i, t) - ym[t]);
    }
  }
  for (let j = 0; j < p; j++) xtx[j * p + j] += alpha;
  return { beta: solve(xtx, xty, p, T), xm, ym };
}

/** Predictions of a closed-form fit on rows `rows` of X. */
export function predict(fit: { beta: Float64Array; xm: Float64Array; ym: Float64Array }, X: Matrix, rows: number[], T: number): Float64Array {
  const p = X.cols;
  const out = new Float64Array(rows.length * T);
  rows.forEach((i, r) => {
    for (let t = 0; t < T; t++) {
      let s = fit.ym[t];
      for (let j = 0; j < p; j++) s += (get(X, i, j) - fit.xm[j]) * fit.beta[j * T + t];
      out[r * T + t] = s;
    }
  });
  return out;
}

export function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

/** X (n×p, non-zero means, correlated columns) and Y = X W + offset + noise (n×T). */
export function problem(n: number, p: number, T: number, seed: number, dtype: 'float32' | 'float64', noise = 1): { X: Matrix; Y: Matrix } {
  const rng = createRng(seed);
  const X = dtype === 'float64' ? new Float64Array(n * p) : new Float32Array(n * p);
  const Y = dtype === 'float64' ? new Float64Array(n * T) : new Float32Array(n * T);
  const w = Float64Array.from({ length: p * T }, () => rng.normal());
  for (let i = 0; i < n; i++) {
    const common = rng.normal();
    for (let j = 0; j < p; j++) X[i * p + j] = rng.normal() + 0.5 * common + 0.3 * j;
    for (let t = 0; t < T; t++) {
      let s = 2 + t;
      for (let j = 0; j < p; j++) s += X[i * p + j] * w[j * T + t];
      Y[i * T + t] = s / Math.sqrt(p) + noise * rng.normal();
    }
  }
  return { X: { rows: n, cols: p, data: X }, Y: { rows: n, cols: T, data: Y } };
}

/** Brute-force CV: closed-form fit per fold and alpha, score on the test rows, mean over folds. */
export function bruteForceCv(X: Matrix, Y: Matrix, alphas: number[], folds: { train: Int32Array; test: Int32Array }[], score: RidgeScore): Float64Array {
  const T = Y.cols;
  const out = new Float64Array(alphas.length * T);
  alphas.forEach((alpha, a) => {
    for (const fold of folds) {
      const train = Array.from(fold.train);
      const test = Array.from(fold.test);
      const pred = predict(closedForm(X, Y, alpha, train), X, test, T);
      const yTrue = Float64Array.from({ length: test.length * T }, (_, k) => get(Y, test[Math.floor(k / T)], k % T));
      const s = scorePredictions({ rows: test.length, cols: T, data: yTrue }, { rows: test.length, cols: T, data: pred }, score);
      for (let t = 0; t < T; t++) out[a * T + t] += s[t] / folds.length;
    }
  });
  return out;
}
