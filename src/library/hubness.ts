import { fail } from '../errors.ts';
import { matmul } from '../linalg/index.ts';
import type { TopK } from './cosineTopK.ts';
import { cosineTopKGemm, SEARCH_BLOCK_ROWS } from './cosineTopKGemm.ts';

/**
 * How library tracks are scored against a query. In high-dimensional embedding spaces a few
 * "hub" tracks are near-neighbours of almost every query (on a ds003720-like run with a real-music
 * library, all 60 decoded test clips retrieved one of the same 2 tracks), so plain cosine can
 * retrieve a hub for every clip. 'center': cosine after subtracting the library's mean direction
 * from the (unit-length) tracks and queries; 'csls': cross-domain similarity local scaling
 * (Conneau et al. 2018), 2·cos(q, t) − r(q) − r(t), with r(t) the mean cosine of track t to its
 * k nearest queries and r(q) the mean cosine of query q to its k nearest tracks, which discounts
 * tracks that are close to every query.
 */
export type HubnessReduction = 'none' | 'center' | 'csls';
export const HUBNESS_REDUCTIONS: readonly HubnessReduction[] = ['none', 'center', 'csls'];

function unitRows(x: Float32Array | Float64Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[i * dim + d] = x[i * dim + d]! * inv;
  }
  return out;
}

/** Library tracks and queries, unit length, with the library's mean direction subtracted from both. */
export function centerOnLibrary(library: Float32Array | Float64Array, queries: Float32Array | Float64Array, dim: number): { library: Float32Array; queries: Float32Array } {
  const N = library.length / dim;
  const Q = queries.length / dim;
  const lib = unitRows(library, N, dim);
  const qs = unitRows(queries, Q, dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < N; i++) for (let d = 0; d < dim; d++) mean[d]! += lib[i * dim + d]! / N;
  for (let i = 0; i < N; i++) for (let d = 0; d < dim; d++) lib[i * dim + d]! -= mean[d]!;
  for (let q = 0; q < Q; q++) for (let d = 0; d < dim; d++) qs[q * dim + d]! -= mean[d]!;
  return { library: lib, queries: qs };
}

/** Mean of the k largest values of a row. */
function meanTopK(row: Float32Array, k: number): number {
  const s = Float32Array.from(row).sort();
  let acc = 0;
  for (let j = 0; j < k; j++) acc += s[s.length - 1 - j]!;
  return acc / k;
}

/**
 * The top-k library rows per query under a hubness reduction ('none' is exact cosine, as
 * `cosineTopKGemm`). Scores are the method's: cosine, centred cosine, or the CSLS score.
 * CSLS scores every track against every query (nQueries × N, in blocks of `blockRows` tracks),
 * so it is meant for a batch of queries (a subject's test clips), not one at a time.
 * @param cslsK neighbours of the local scaling (default 10, at most the number of queries)
 */
export async function hubnessTopK(
  library: Float32Array | Float64Array, queries: Float32Array | Float64Array, dim: number, k: number,
  method: HubnessReduction, opts: { cslsK?: number; blockRows?: number } = {},
): Promise<TopK> {
  if (!HUBNESS_REDUCTIONS.includes(method)) fail('BAD_INPUT', `hubness reduction '${method}' is not one of ${HUBNESS_REDUCTIONS.join(', ')}.`);
  if (method === 'none') return cosineTopKGemm(library, queries, dim, k);
  if (method === 'center') {
    const c = centerOnLibrary(library, queries, dim);
    return cosineTopKGemm(c.library, c.queries, dim, k);
  }
  const N = library.length / dim;
  const Q = queries.length / dim;
  const kq = Math.max(1, Math.min(opts.cslsK ?? 10, Q));
  const kt = Math.max(1, Math.min(opts.cslsK ?? 10, N));
  const lib = unitRows(library, N, dim);
  const qs = unitRows(queries, Q, dim);
  const blockRows = Math.max(1, opts.blockRows ?? SEARCH_BLOCK_ROWS);
  // pass 1: r(t) for every track (its k nearest queries), r(q) for every query (its k nearest tracks)
  const rTrack = new Float32Array(N);
  const qBest = Array.from({ length: Q }, () => new Float32Array(0));
  const cosBlock = async (r0: number, B: number) => (await matmul({ rows: Q, cols: dim, data: qs }, { rows: B, cols: dim, data: lib.subarray(r0 * dim, (r0 + B) * dim) }, { transB: true })).data;
  for (let r0 = 0; r0 < N; r0 += blockRows) {
    const B = Math.min(blockRows, N - r0);
    const S = await cosBlock(r0, B);
    const col = new Float32Array(Q);
    for (let t = 0; t < B; t++) {
      for (let q = 0; q < Q; q++) col[q] = S[q * B + t]!;
      rTrack[r0 + t] = meanTopK(col, kq);
    }
    for (let q = 0; q < Q; q++) {
      const merged = new Float32Array(qBest[q]!.length + B);
      merged.set(qBest[q]!);
      for (let t = 0; t < B; t++) merged[qBest[q]!.length + t] = S[q * B + t]!;
      qBest[q] = merged.sort().subarray(Math.max(0, merged.length - kt));
    }
  }
  const rQuery = qBest.map((b) => b.reduce((a, x) => a + x, 0) / b.length);
  // pass 2: the CSLS score of every pair, the best k per query
  const kk = Math.min(k, N);
  const indices = new Int32Array(Q * kk);
  const scores = new Float64Array(Q * kk).fill(-Infinity);
  for (let r0 = 0; r0 < N; r0 += blockRows) {
    const B = Math.min(blockRows, N - r0);
    const S = await cosBlock(r0, B);
    for (let q = 0; q < Q; q++) {
      for (let t = 0; t < B; t++) {
        const v = 2 * S[q * B + t]! - rQuery[q]! - rTrack[r0 + t]!;
        let j = kk - 1;
        if (!(v > scores[q * kk + j]!)) continue;
        while (j > 0 && v > scores[q * kk + j - 1]!) {
          scores[q * kk + j] = scores[q * kk + j - 1]!;
          indices[q * kk + j] = indices[q * kk + j - 1]!;
          j--;
        }
        scores[q * kk + j] = v;
        indices[q * kk + j] = r0 + t;
      }
    }
  }
  return { nQueries: Q, k: kk, indices, scores };
}

/** How concentrated a set of retrieved tracks is (one top-1 per query). */
export interface RetrievalConcentration {
  /** Queries and distinct tracks among their top-1s. */
  n: number;
  distinct: number;
  /** The track retrieved most often, how often, and its share of the queries. */
  largestHub: { id: string; count: number; share: number };
  /** True when retrieval is degenerate: one track is the top-1 of more than a quarter of the queries (and of at least 3). */
  degenerate: boolean;
}

/** The concentration of the top-1 tracks retrieved for a set of queries. */
export function retrievalConcentration(top1: readonly string[]): RetrievalConcentration {
  const counts = new Map<string, number>();
  for (const id of top1) counts.set(id, (counts.get(id) ?? 0) + 1);
  let hub = { id: '', count: 0 };
  for (const [id, count] of counts) if (count > hub.count) hub = { id, count };
  const n = top1.length;
  const share = n > 0 ? hub.count / n : 0;
  return { n, distinct: counts.size, largestHub: { ...hub, share }, degenerate: hub.count >= 3 && share > 0.25 };
}
