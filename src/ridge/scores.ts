import { fail } from '../errors.ts';
import type { Matrix } from '../linalg/index.ts';

/** Cross-validation scores; every one is "higher is better". */
export type RidgeScore = 'mse' | 'r' | 'r2';

/** The score names, for messages and CLI checks. */
export const RIDGE_SCORES: readonly RidgeScore[] = ['mse', 'r', 'r2'];

export function checkScore(score: string): RidgeScore {
  if (!(RIDGE_SCORES as readonly string[]).includes(score)) fail('BAD_INPUT', `Unknown score '${score}'; use one of ${RIDGE_SCORES.join(', ')}.`);
  return score as RidgeScore;
}

/**
 * Sufficient statistics of one test fold for one target and one alpha, with y the test targets
 * centred by the training mean and ŷ the predictions: n, Σy, Σy², Σyŷ, Σŷ, Σŷ².
 */
export function scoreFromSums(score: RidgeScore, n: number, sy: number, syy: number, syh: number, sh: number, shh: number): number {
  const sse = syy - 2 * syh + shh;
  if (score === 'mse') return -Math.max(sse, 0) / n;
  const sst = syy - (sy * sy) / n;
  const tiny = 1e-12 * Math.max(syy, Number.MIN_VALUE);
  if (score === 'r2') return sst > tiny ? 1 - sse / sst : 0;
  const shc = shh - (sh * sh) / n;
  const cov = syh - (sy * sh) / n;
  if (sst <= tiny || shc <= 1e-12 * Math.max(shh, Number.MIN_VALUE)) return 0;
  return Math.max(-1, Math.min(1, cov / Math.sqrt(sst * shc)));
}

/**
 * Scores of predictions `yPred` against `yTrue` (both n×T), per target: 'mse' gives the
 * negative mean squared error (as himalaya's `l2_neg_loss`), 'r2' the coefficient of
 * determination (0 for a constant target), 'r' the Pearson correlation (0 when either is constant).
 */
export function scorePredictions(yTrue: Matrix, yPred: Matrix, score: RidgeScore): Float64Array {
  if (yTrue.rows !== yPred.rows || yTrue.cols !== yPred.cols) fail('MISMATCH', `scorePredictions: shapes differ (${yTrue.rows}×${yTrue.cols} vs ${yPred.rows}×${yPred.cols}).`);
  const { rows: n, cols: T } = yTrue;
  const sums = Array.from({ length: 5 }, () => new Float64Array(T));
  const [sy, syy, syh, sh, shh] = sums;
  for (let i = 0; i < n; i++) {
    const r = i * T;
    for (let t = 0; t < T; t++) {
      const y = yTrue.data[r + t];
      const h = yPred.data[r + t];
      sy[t] += y;
      syy[t] += y * y;
      syh[t] += y * h;
      sh[t] += h;
      shh[t] += h * h;
    }
  }
  return Float64Array.from({ length: T }, (_, t) => {
    if (score === 'mse') {
      // direct form: no cancellation for near-perfect predictions
      let s = 0;
      for (let i = 0; i < n; i++) s += (yTrue.data[i * T + t] - yPred.data[i * T + t]) ** 2;
      return -s / n;
    }
    return scoreFromSums(score, n, sy[t], syy[t], syh[t], sh[t], shh[t]);
  });
}
