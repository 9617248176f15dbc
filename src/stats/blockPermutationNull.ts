import { fail } from '../errors.ts';
import type { Tail } from './gaussianNullP.ts';
import { mulberry32, type Matrix } from '../linalg/index.ts';

/** Options of {@link blockPermutationNull}. */
export interface BlockPermutationOptions {
  /**
   * 'circular' (default): shift the observed time course circularly by a random s with
   * minShift ≤ s ≤ T - minShift; this keeps its autocorrelation exactly except at the seam.
   * 'block': cut it into consecutive blocks of `blockLength` samples (the last may be shorter)
   * and shuffle the block order; this keeps autocorrelation within blocks.
   */
  method?: 'circular' | 'block';
  /** Number of permutations (default 1000); p-values cannot go below 1 / (1 + nPerm). */
  nPerm?: number;
  /** Block length in samples for 'block' (default 10: one 15 s clip at TR 1.5 s). */
  blockLength?: number;
  /** Smallest circular shift in samples for 'circular' (default 10), so a shift never nearly undoes itself. */
  minShift?: number;
  /** PRNG seed (default 0): same data and seed give identical output. */
  seed?: number;
  /** 'upper' (default, r > 0 as in the paper) or 'two-sided' (|r|). */
  tail?: Tail;
  /** Keep the nPerm × V null correlations (default true; 4·nPerm·V bytes). */
  keepNull?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link blockPermutationNull}. */
export interface PermutationNullResult {
  /** Observed Pearson r per voxel (V); NaN where either column is constant. */
  r: Float64Array;
  /** p per voxel (V): (1 + #{null r ≥ r}) / (1 + nPerm) (|·| for two-sided); NaN where r is NaN. */
  p: Float64Array;
  /** Null correlations, nPerm × V row-major (permutation-major), or null when keepNull is false. */
  nullR: Float32Array | null;
  nPerm: number;
}

/**
 * A null distribution of correlations that keeps the temporal autocorrelation of fMRI: the
 * observed test time course is circularly shifted (or block-shuffled), with the SAME permutation
 * for every voxel, and correlated again with the unchanged prediction. Stricter than the
 * Gaussian null (`gaussianNullP`), which assumes independent samples.
 *
 * p uses the (1 + count) / (1 + nPerm) rule (Phipson & Smyth 2010), so it is never 0 and the
 * test is valid at finite nPerm. Cost: nPerm · T · V multiply-adds.
 *
 * @param observed T × V measured responses (e.g. the averaged test repetitions).
 * @param predicted T × V model predictions, same shape.
 * @example blockPermutationNull(Y, Yhat, { nPerm: 1000, seed: 1 }).p // → Float64Array(V)
 */
export function blockPermutationNull(observed: Matrix, predicted: Matrix, opts: BlockPermutationOptions = {}): PermutationNullResult {
  const { rows: T, cols: V } = observed;
  if (predicted.rows !== T || predicted.cols !== V) {
    fail('MISMATCH', `blockPermutationNull: observed is ${T}×${V} but predicted is ${predicted.rows}×${predicted.cols}; pass the same scans × voxels for both.`);
  }
  if (observed.data.length !== T * V || predicted.data.length !== T * V) fail('BAD_INPUT', 'blockPermutationNull: data length differs from rows × cols.');
  const method = opts.method ?? 'circular';
  if (method !== 'circular' && method !== 'block') fail('BAD_INPUT', `blockPermutationNull: method '${String(method)}' is not one of 'circular', 'block'.`);
  const tail = opts.tail ?? 'upper';
  if (tail !== 'upper' && tail !== 'two-sided') fail('BAD_INPUT', `blockPermutationNull: tail '${String(tail)}' is not one of 'upper', 'two-sided'.`);
  const nPerm = opts.nPerm ?? 1000;
  if (!Number.isInteger(nPerm) || nPerm < 1) fail('BAD_INPUT', `blockPermutationNull: nPerm = ${nPerm}; give a positive integer (e.g. 1000).`);
  const blockLength = opts.blockLength ?? 10;
  const minShift = opts.minShift ?? 10;
  if (method === 'circular' && !(Number.isInteger(minShift) && minShift >= 1 && 2 * minShift <= T)) {
    fail('BAD_INPUT', `blockPermutationNull: minShift = ${minShift} needs 1 ≤ minShift ≤ T/2 = ${T / 2}; lower it.`);
  }
  if (method === 'block' && !(Number.isInteger(blockLength) && blockLength >= 1 && blockLength * 2 <= T)) {
    fail('BAD_INPUT', `blockPermutationNull: blockLength = ${blockLength} needs at least two blocks in T = ${T} samples.`);
  }

  const zo = zscore(observed);
  const zp = zscore(predicted);
  const r = new Float64Array(V);
  dotColumns(zo, zp, null, T, V, r);

  const rand = mulberry32(opts.seed ?? 0);
  const keep = opts.keepNull ?? true;
  const nullR = keep ? new Float32Array(nPerm * V) : null;
  const count = new Float64Array(V);
  const acc = new Float64Array(V);
  const perm = new Int32Array(T);
  const nBlocks = Math.ceil(T / blockLength);
  const order = new Int32Array(nBlocks);
  for (let k = 0; k < nPerm; k++) {
    if (method === 'circular') {
      const s = minShift + Math.floor(rand() * (T - 2 * minShift + 1));
      for (let t = 0; t < T; t++) perm[t] = (t + s) % T;
    } else {
      for (let b = 0; b < nBlocks; b++) order[b] = b;
      for (let b = nBlocks - 1; b > 0; b--) {
        const j = Math.floor(rand() * (b + 1));
        const tmp = order[b]!; order[b] = order[j]!; order[j] = tmp;
      }
      let t = 0;
      for (let b = 0; b < nBlocks; b++) {
        const start = order[b]! * blockLength;
        const end = Math.min(T, start + blockLength);
        for (let u = start; u < end; u++) perm[t++] = u;
      }
    }
    dotColumns(zo, zp, perm, T, V, acc);
    for (let v = 0; v < V; v++) {
      const nr = acc[v]!;
      if (nullR) nullR[k * V + v] = nr;
      const hit = tail === 'upper' ? nr >= r[v]! : Math.abs(nr) >= Math.abs(r[v]!);
      if (hit) count[v]! += 1;
    }
    opts.onProgress?.(k + 1, nPerm);
  }
  const p = new Float64Array(V);
  for (let v = 0; v < V; v++) p[v] = Number.isNaN(r[v]!) ? Number.NaN : (1 + count[v]!) / (1 + nPerm);
  return { r, p, nullR, nPerm };
}

/** Columns scaled so that the dot product of two columns divided by T is Pearson r; constant → NaN. */
function zscore(m: Matrix): Float64Array {
  const { rows: T, cols: V, data } = m;
  const mean = new Float64Array(V);
  const ss = new Float64Array(V);
  for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) mean[v]! += data[t * V + v]!;
  for (let v = 0; v < V; v++) mean[v]! /= T;
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      const d = data[t * V + v]! - mean[v]!;
      ss[v]! += d * d;
    }
  }
  const inv = new Float64Array(V);
  for (let v = 0; v < V; v++) inv[v] = ss[v]! > 0 ? 1 / Math.sqrt(ss[v]! / T) : Number.NaN;
  const z = new Float64Array(T * V);
  for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) z[t * V + v] = (data[t * V + v]! - mean[v]!) * inv[v]!;
  return z;
}

/** out[v] = (1/T) Σ_t a[perm[t], v] · b[t, v]  (perm null → identity). */
function dotColumns(a: Float64Array, b: Float64Array, perm: Int32Array | null, T: number, V: number, out: Float64Array): void {
  out.fill(0);
  for (let t = 0; t < T; t++) {
    const ra = (perm ? perm[t]! : t) * V;
    const rb = t * V;
    for (let v = 0; v < V; v++) out[v]! += a[ra + v]! * b[rb + v]!;
  }
  for (let v = 0; v < V; v++) out[v]! /= T;
}
