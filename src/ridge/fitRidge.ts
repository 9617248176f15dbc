import { fail } from '../errors.ts';
import type { Matrix } from '../linalg/index.ts';
import type { WorkDtype } from './arrays.ts';
import { RIDGE_SOLVERS, resolveSolver, type SolverName } from './solvers.ts';
import { centredColumns, finiteColumnMeans, targetBatch } from './targets.ts';

/** Coefficients of a ridge fit without cross-validation (see {@link fitRidge}). */
export interface RidgeCoefficients {
  /** p×T row-major float32: ŷ = (x − xMean)·coef + yMean. */
  coef: Float32Array;
  xMean: Float64Array;
  yMean: Float64Array;
  solver: SolverName;
}

/**
 * Ridge regression from X (n×p) to every column of Y (n×T) with a given alpha per target, on all
 * samples (centred with their means), no cross-validation: the refit step of {@link fitRidgeCV}
 * for alphas chosen elsewhere, e.g. by a nested CV whose folds each used different features.
 * One eigendecomposition (XᵀX for 'primal', X Xᵀ for 'kernel'; 'auto': primal for p ≤ n); targets in batches.
 *
 * @param alphaOf one alpha > 0 per target (length T)
 */
export async function fitRidge(X: Matrix, Y: Matrix, alphaOf: ArrayLike<number>, opts: { solver?: 'auto' | SolverName; targetBatch?: number } = {}): Promise<RidgeCoefficients> {
  const n = X.rows;
  const p = X.cols;
  const T = Y.cols;
  if (Y.rows !== n) fail('MISMATCH', `X has ${n} samples (rows) but Y has ${Y.rows}; they must match.`);
  if (X.data.length !== n * p || Y.data.length !== n * T) fail('MISMATCH', 'fitRidge: a matrix data length does not match its rows×cols.');
  if (p === 0) fail('BAD_INPUT', 'X has no features (0 columns).');
  if (n < 2) fail('BAD_INPUT', `ridge needs at least 2 samples, got ${n}.`);
  if (alphaOf.length !== T) fail('MISMATCH', `fitRidge: ${alphaOf.length} alphas for ${T} targets; give one per target.`);
  const alphas = Float64Array.from(alphaOf);
  alphas.forEach((a, t) => {
    if (!Number.isFinite(a) || a <= 0) fail('BAD_INPUT', `alpha of target ${t} is ${a}; every alpha must be a finite number > 0.`);
  });
  const solver = resolveSolver(opts.solver, p, n, []);
  const dtype: WorkDtype = X.data instanceof Float64Array || Y.data instanceof Float64Array ? 'float64' : 'float32';
  const xMean = finiteColumnMeans(X, 'X');
  const yMean = finiteColumnMeans(Y, 'Y');
  const plan = await RIDGE_SOLVERS[solver]({ x: centredColumns(X, 0, p, xMean, 'float64'), folds: [], dtype, nTargets: T });
  // a batch holds p×b coefficients and n×b targets: bounded near 64 MiB of float32
  const batch = Math.max(1, Math.min(T, opts.targetBatch ?? Math.floor((1 << 24) / Math.max(p, n))));
  const coef = new Float32Array(p * T);
  for (let t0 = 0; t0 < T; t0 += batch) {
    const b = Math.min(batch, T - t0);
    const w = await plan.refit(targetBatch(Y, { t0, b }, yMean, dtype, []), alphas.subarray(t0, t0 + b));
    for (let i = 0; i < p; i++) for (let t = 0; t < b; t++) coef[i * T + t0 + t] = w.data[i * b + t];
  }
  return { coef, xMean, yMean, solver };
}
