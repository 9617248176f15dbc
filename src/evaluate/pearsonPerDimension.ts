import { checkRows, type RowMajor } from './rowCorrelations.ts';

/** Result of {@link pearsonPerDimension}. */
export interface PearsonPerDimensionResult {
  /** r between column d of P and column d of T, over the n items (length dim). */
  perDim: Float64Array;
  /** Mean of `perDim`. */
  mean: number;
}

/**
 * Pearson r per embedding dimension between predictions and targets across items, and its mean
 * (the paper's Table 2 "r"). A dimension that is constant in P or in T gets r = 0.
 *
 * @param P predictions, `n × dim` row-major
 * @param T targets, `n × dim` row-major
 * @example pearsonPerDimension([1,5, 2,4, 3,3], [2,1, 4,2, 6,3], 3, 2).perDim // → [1, -1]
 */
export function pearsonPerDimension(P: RowMajor, T: RowMajor, n: number, dim: number): PearsonPerDimensionResult {
  checkRows(P, n, dim, 'predictions');
  checkRows(T, n, dim, 'targets');
  const mp = new Float64Array(dim);
  const mt = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      mp[d] += P[i * dim + d];
      mt[d] += T[i * dim + d];
    }
  }
  for (let d = 0; d < dim; d++) {
    mp[d] /= Math.max(n, 1);
    mt[d] /= Math.max(n, 1);
  }
  const spt = new Float64Array(dim);
  const spp = new Float64Array(dim);
  const stt = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const a = P[i * dim + d] - mp[d];
      const b = T[i * dim + d] - mt[d];
      spt[d] += a * b;
      spp[d] += a * a;
      stt[d] += b * b;
    }
  }
  const perDim = new Float64Array(dim);
  let total = 0;
  for (let d = 0; d < dim; d++) {
    const den = Math.sqrt(spp[d] * stt[d]);
    perDim[d] = den > 0 ? Math.max(-1, Math.min(1, spt[d] / den)) : 0;
    total += perDim[d];
  }
  return { perDim, mean: total / dim };
}
