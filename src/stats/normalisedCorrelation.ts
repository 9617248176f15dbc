import { fail } from '../errors.ts';

/**
 * Correlation normalised by the noise ceiling: r / ceilingR per voxel (CC_norm of Schoppe et al.
 * 2016 when ceilingR comes from `noiseCeiling` with K = the number of averaged repetitions).
 * 1 means the model explains all the explainable variance. Not clipped: sampling noise can push
 * it above 1 (or below -1) when the ceiling is small.
 *
 * NaN policy: NaN where r is NaN or the ceiling is NaN or ≤ 0 (no explainable signal).
 * @example normalisedCorrelation([0.3, 0.2], [0.6, 0]) // → [0.5, NaN]
 */
export function normalisedCorrelation(r: ArrayLike<number>, ceilingR: ArrayLike<number>): Float64Array {
  if (r.length !== ceilingR.length) fail('MISMATCH', `normalisedCorrelation: ${r.length} correlations but ${ceilingR.length} ceilings; pass one ceiling per voxel.`);
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const c = ceilingR[i]!;
    out[i] = c > 0 ? r[i]! / c : Number.NaN;
  }
  return out;
}
