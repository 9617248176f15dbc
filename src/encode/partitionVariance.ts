import { fail } from '../errors.ts';

/** Unique and shared variance of two feature spaces per voxel (see {@link partitionVariance}). */
export interface VariancePartition {
  uniqueA: Float32Array;
  uniqueB: Float32Array;
  shared: Float32Array;
}

/**
 * Variance partitioning of a joint model (set theory on explained variance, de Heer et al. 2017):
 * with R²_A, R²_B and R²_AB the held-out variance explained by models on A, B and the stacked A∪B,
 * `uniqueA = R²_AB − R²_B`, `uniqueB = R²_AB − R²_A`, `shared = R²_A + R²_B − R²_AB`.
 *
 * We pass test R² (`1 − SSE/SST` on the averaged test responses, see `scoreColumns`), not r², so
 * the three quantities add up to R²_AB exactly. Estimates are not clipped: small negative values
 * occur where a space adds nothing but noise, and show how large that noise is.
 *
 * @example partitionVariance([0.3], [0.2], [0.4]) // → uniqueA [0.2], uniqueB [0.1], shared [0.1]
 */
export function partitionVariance(r2A: ArrayLike<number>, r2B: ArrayLike<number>, r2AB: ArrayLike<number>): VariancePartition {
  const V = r2AB.length;
  if (r2A.length !== V || r2B.length !== V) fail('MISMATCH', `partitionVariance: ${r2A.length}, ${r2B.length} and ${V} voxels; pass maps of the same subject.`);
  const uniqueA = new Float32Array(V), uniqueB = new Float32Array(V), shared = new Float32Array(V);
  for (let v = 0; v < V; v++) {
    uniqueA[v] = r2AB[v]! - r2B[v]!;
    uniqueB[v] = r2AB[v]! - r2A[v]!;
    shared[v] = r2A[v]! + r2B[v]! - r2AB[v]!;
  }
  return { uniqueA, uniqueB, shared };
}
