import { fail } from '../errors.ts';
import { matmul, type Matrix } from '../linalg/index.ts';
import type { RidgeFit } from './fitRidgeCV.ts';

/** What a prediction reads of a ridge model: a {@link RidgeFit}, or coefficients from `fitRidge` with their sizes. */
export type RidgePredictor = Pick<RidgeFit, 'nFeatures' | 'nTargets' | 'coef' | 'xMean' | 'yMean'>;

/**
 * Predictions of a fitted ridge model for new samples X (n×p): (X − xMean)·coef + yMean,
 * n×T float32 (GEMM on the linalg backend).
 */
export async function predictRidge(fit: RidgePredictor, X: Matrix): Promise<Matrix> {
  const p = fit.nFeatures;
  const T = fit.nTargets;
  if (X.cols !== p) fail('MISMATCH', `X has ${X.cols} features but the ridge model was fitted with ${p}.`);
  const xc = new Float32Array(X.rows * p);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < p; j++) xc[i * p + j] = X.data[i * p + j] - fit.xMean[j];
  const out = await matmul({ rows: X.rows, cols: p, data: xc }, { rows: p, cols: T, data: fit.coef });
  const data = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data);
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < T; t++) data[i * T + t] += fit.yMean[t];
  return { rows: X.rows, cols: T, data };
}
