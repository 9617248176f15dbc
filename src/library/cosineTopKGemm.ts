import { fail } from '../errors.ts';
import { matmul } from '../linalg/index.ts';
import type { TopK } from './cosineTopK.ts';

/** Library rows per matrix product: bounds memory to nQueries × this many scores (and, streamed, this many vectors). */
export const SEARCH_BLOCK_ROWS = 65536;

/** Options of {@link cosineTopKGemm}. */
export interface CosineTopKGemmOptions {
  /** Library rows per matrix product (default SEARCH_BLOCK_ROWS): bounds memory to nQueries × blockRows floats. */
  blockRows?: number;
  /** Extra float32 candidates per query that are re-scored in float64 (default 16). */
  margin?: number;
}

/**
 * Exact top-k cosine similarity like {@link cosineTopK}, with the similarities computed as
 * matrix products (linalg `matmul`: ONNX Runtime for large blocks) of the normalised queries and
 * blocks of normalised library rows. The best k + margin candidates per query by the float32
 * scores are re-scored in float64 and sorted (ties → lower index), so the result equals the
 * brute-force one unless float32 rounding (about 1e-7) moves a true top-k row below k + margin
 * candidates, which needs k + margin rows within about 1e-6 of each other.
 *
 * Same policies as cosineTopK: zero or NaN library rows are never returned; a zero query fails.
 * @example (await cosineTopKGemm(lib, q, 128, 10)).indices // Int32Array(nQueries × 10)
 */
export async function cosineTopKGemm(
  library: Float32Array | Float64Array,
  queries: Float32Array | Float64Array,
  dim: number,
  k: number,
  opts: CosineTopKGemmOptions = {},
): Promise<TopK> {
  if (!Number.isInteger(dim) || dim < 1) fail('BAD_INPUT', `cosineTopKGemm: dim = ${dim}; give a positive integer.`);
  if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `cosineTopKGemm: k = ${k}; give a positive integer.`);
  if (library.length % dim !== 0) fail('MISMATCH', `cosineTopKGemm: library has ${library.length} values, not a multiple of dim = ${dim}.`);
  if (queries.length % dim !== 0) fail('MISMATCH', `cosineTopKGemm: queries have ${queries.length} values, not a multiple of dim = ${dim}; the query dimension must match the library's.`);
  const N = library.length / dim;
  const Q = queries.length / dim;
  const blockRows = Math.max(1, opts.blockRows ?? SEARCH_BLOCK_ROWS);
  const margin = Math.max(0, opts.margin ?? 16);

  const invNorm = rowInvNorms(library, N, dim);
  let valid = 0;
  for (let i = 0; i < N; i++) if (invNorm[i]! > 0) valid++;
  const qInv = rowInvNorms(queries, Q, dim);
  for (let q = 0; q < Q; q++) if (!(qInv[q]! > 0)) fail('BAD_INPUT', `cosineTopKGemm: query ${q} is all zeros or contains NaN; cosine similarity is undefined for it.`);
  const qn = new Float32Array(Q * dim);
  for (let q = 0; q < Q; q++) for (let d = 0; d < dim; d++) qn[q * dim + d] = queries[q * dim + d]! * qInv[q]!;

  const kk = Math.min(k, valid);
  const C = Math.min(kk + margin, valid);
  const candIdx = new Int32Array(Q * C).fill(-1);
  const candScore = new Float32Array(Q * C).fill(-Infinity);
  const block = new Float32Array(Math.min(blockRows, N) * dim);
  for (let r0 = 0; r0 < N; r0 += blockRows) {
    const B = Math.min(blockRows, N - r0);
    for (let i = 0; i < B; i++) {
      const inv = invNorm[r0 + i]!;
      for (let d = 0; d < dim; d++) block[i * dim + d] = inv > 0 ? library[(r0 + i) * dim + d]! * inv : 0;
    }
    const S = await matmul({ rows: Q, cols: dim, data: qn }, { rows: B, cols: dim, data: block.subarray(0, B * dim) }, { transB: true });
    const s = S.data;
    for (let q = 0; q < Q; q++) {
      const base = q * C;
      for (let i = 0; i < B; i++) {
        const score = s[q * B + i]!;
        if (!(score > candScore[base + C - 1]!) || !(invNorm[r0 + i]! > 0)) continue;
        let j = C - 1;
        while (j > 0 && score > candScore[base + j - 1]!) {
          candScore[base + j] = candScore[base + j - 1]!;
          candIdx[base + j] = candIdx[base + j - 1]!;
          j--;
        }
        candScore[base + j] = score;
        candIdx[base + j] = r0 + i;
      }
    }
  }

  // re-score the candidates exactly (float64) and keep the best k, ties to the lower index
  const indices = new Int32Array(Q * kk);
  const scores = new Float64Array(Q * kk);
  for (let q = 0; q < Q; q++) {
    const cands: { i: number; c: number }[] = [];
    for (let j = 0; j < C; j++) {
      const i = candIdx[q * C + j]!;
      if (i < 0) continue;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += library[i * dim + d]! * queries[q * dim + d]!;
      cands.push({ i, c: dot * invNorm[i]! * qInv[q]! });
    }
    cands.sort((a, b) => b.c - a.c || a.i - b.i);
    for (let j = 0; j < kk; j++) {
      indices[q * kk + j] = cands[j]!.i;
      scores[q * kk + j] = cands[j]!.c;
    }
  }
  return { nQueries: Q, k: kk, indices, scores };
}

/** 1 / ‖row‖ per row (float64 sums); 0 for a zero row or one containing NaN. */
function rowInvNorms(x: Float32Array | Float64Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) { const v = x[i * dim + d]!; s += v * v; }
    out[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return out;
}
