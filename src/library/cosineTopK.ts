import { fail } from '../errors.ts';

/** Result of {@link cosineTopK}: row q holds the k best library rows for query q, best first. */
export interface TopK {
  nQueries: number;
  /** Columns per query: min(k, number of non-zero library rows). */
  k: number;
  /** Library row indices, nQueries × k row-major. */
  indices: Int32Array;
  /** Cosine similarities, nQueries × k row-major, descending within a row. */
  scores: Float64Array;
}

const QUERY_BLOCK = 8;

/**
 * Exact top-k cosine similarity by brute force: every query against every library row.
 * The reference that the LanceDB searches are checked against; cost nQueries · N · dim.
 *
 * - Ties in score go to the lower library index, so results are deterministic.
 * - A library row of norm 0 (or containing NaN) has no direction and is never returned.
 * - A query of norm 0 or with NaN is an error (it matches nothing).
 *
 * @param library N × dim row-major (any N, float32 or float64).
 * @param queries nQueries × dim row-major.
 * @example cosineTopK(lib, q, 128, 5).indices // → Int32Array(nQueries × 5)
 */
export function cosineTopK(library: Float32Array | Float64Array, queries: Float32Array | Float64Array, dim: number, k: number): TopK {
  if (!Number.isInteger(dim) || dim < 1) fail('BAD_INPUT', `cosineTopK: dim = ${dim}; give a positive integer.`);
  if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `cosineTopK: k = ${k}; give a positive integer.`);
  if (library.length % dim !== 0) fail('MISMATCH', `cosineTopK: library has ${library.length} values, not a multiple of dim = ${dim}.`);
  if (queries.length % dim !== 0) fail('MISMATCH', `cosineTopK: queries have ${queries.length} values, not a multiple of dim = ${dim}; the query dimension must match the library's.`);
  const N = library.length / dim;
  const Q = queries.length / dim;
  const invNorm = new Float64Array(N);
  let valid = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) { const x = library[i * dim + d]!; s += x * x; }
    invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0; // NaN > 0 is false: NaN rows are skipped too
    if (invNorm[i]! > 0) valid++;
  }
  const qInv = new Float64Array(Q);
  for (let q = 0; q < Q; q++) {
    let s = 0;
    for (let d = 0; d < dim; d++) { const x = queries[q * dim + d]!; s += x * x; }
    if (!(s > 0)) fail('BAD_INPUT', `cosineTopK: query ${q} is all zeros or contains NaN; cosine similarity is undefined for it.`);
    qInv[q] = 1 / Math.sqrt(s);
  }
  const kk = Math.min(k, valid);
  const indices = new Int32Array(Q * kk).fill(-1);
  const scores = new Float64Array(Q * kk).fill(-Infinity);
  const dots = new Float64Array(QUERY_BLOCK);
  for (let q0 = 0; q0 < Q; q0 += QUERY_BLOCK) {
    const qn = Math.min(QUERY_BLOCK, Q - q0);
    for (let i = 0; i < N; i++) {
      const inv = invNorm[i]!;
      if (inv === 0) continue;
      const row = i * dim;
      // each library row is read once per block of queries, while it sits in cache
      for (let b = 0; b < qn; b++) {
        const qo = (q0 + b) * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) s += library[row + d]! * queries[qo + d]!;
        dots[b] = s;
      }
      for (let b = 0; b < qn; b++) {
        const q = q0 + b;
        const score = dots[b]! * inv * qInv[q]!;
        const base = q * kk;
        // strict >: an equal score does not displace an earlier (lower) index
        if (kk === 0 || !(score > scores[base + kk - 1]!)) continue;
        let j = kk - 1;
        while (j > 0 && score > scores[base + j - 1]!) {
          scores[base + j] = scores[base + j - 1]!;
          indices[base + j] = indices[base + j - 1]!;
          j--;
        }
        scores[base + j] = score;
        indices[base + j] = i;
      }
    }
  }
  return { nQueries: Q, k: kk, indices, scores };
}
