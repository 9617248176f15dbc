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
 * test is valid at finite nPerm. Cost: nPerm · T · V multiply-adds; a block shuffle of equal blocks
 * costs T · nBlocks · V multiply-adds once plus nPerm · nBlocks · V additions, and a circular null
 * computes each of its T - 2·minShift + 1 distinct shifts once.
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
  const tally = (k: number, acc: Float64Array, v0: number) => {
    for (let j = 0; j < acc.length; j++) {
      const v = v0 + j;
      const nr = acc[j]!;
      if (nullR) nullR[k * V + v] = nr;
      const hit = tail === 'upper' ? nr >= r[v]! : Math.abs(nr) >= Math.abs(r[v]!);
      if (hit) count[v]! += 1;
    }
  };
  if (method === 'block' && T % blockLength === 0) {
    blockShuffleNull(zo, zp, T, V, blockLength, drawBlockOrders(rand, nPerm, T / blockLength), tally, opts.onProgress);
  } else {
    const perm = new Int32Array(T);
    const acc = new Float64Array(V);
    const shifts = new Map<number, Float64Array>(); // a circular null has only T - 2·minShift + 1 distinct shifts
    const nBlocks = Math.ceil(T / blockLength);
    for (let k = 0; k < nPerm; k++) {
      if (method === 'circular') {
        const s = minShift + Math.floor(rand() * (T - 2 * minShift + 1));
        let known = shifts.get(s);
        if (!known) {
          for (let t = 0; t < T; t++) perm[t] = (t + s) % T;
          dotColumns(zo, zp, perm, T, V, acc);
          shifts.set(s, (known = Float64Array.from(acc)));
        }
        tally(k, known, 0);
      } else {
        const order = drawBlockOrders(rand, 1, nBlocks);
        let t = 0;
        for (let b = 0; b < nBlocks; b++) {
          const start = order[b]! * blockLength;
          const end = Math.min(T, start + blockLength);
          for (let u = start; u < end; u++) perm[t++] = u;
        }
        dotColumns(zo, zp, perm, T, V, acc);
        tally(k, acc, 0);
      }
      opts.onProgress?.(k + 1, nPerm);
    }
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

/** nPerm uniform shuffles (Fisher-Yates) of nBlocks block indices, permutation-major. */
function drawBlockOrders(rand: () => number, nPerm: number, nBlocks: number): Int32Array {
  const orders = new Int32Array(nPerm * nBlocks);
  for (let k = 0; k < nPerm; k++) {
    const order = orders.subarray(k * nBlocks, (k + 1) * nBlocks);
    for (let b = 0; b < nBlocks; b++) order[b] = b;
    for (let b = nBlocks - 1; b > 0; b--) {
      const j = Math.floor(rand() * (b + 1));
      const tmp = order[b]!; order[b] = order[j]!; order[j] = tmp;
    }
  }
  return orders;
}

/** Voxels per pass of {@link blockShuffleNull}: its block-pair table is nBlocks² × this many float64. */
const VOXEL_PASS = 512;

/**
 * The block-shuffle null without re-multiplying: with equal blocks, the correlation after a
 * shuffle is Σ_b D[order[b], b], where D[i, j] is block i of `a` dotted with block j of `b`.
 * D costs one pass over the data (T · nBlocks · V multiply-adds); each permutation then costs
 * nBlocks · V additions instead of T · V multiply-adds: blockLength times fewer operations.
 */
function blockShuffleNull(
  a: Float64Array, b: Float64Array, T: number, V: number, blockLength: number, orders: Int32Array,
  tally: (k: number, acc: Float64Array, v0: number) => void, onProgress?: (done: number, total: number) => void,
): void {
  const nB = T / blockLength;
  const nPerm = orders.length / nB;
  const passes = Math.ceil(V / VOXEL_PASS);
  for (let v0 = 0; v0 < V; v0 += VOXEL_PASS) {
    const w = Math.min(VOXEL_PASS, V - v0);
    const D = new Float64Array(nB * nB * w);
    for (let i = 0; i < nB; i++) {
      for (let j = 0; j < nB; j++) {
        const d = D.subarray((i * nB + j) * w, (i * nB + j + 1) * w);
        for (let u = 0; u < blockLength; u++) {
          const ra = (i * blockLength + u) * V + v0;
          const rb = (j * blockLength + u) * V + v0;
          for (let v = 0; v < w; v++) d[v]! += a[ra + v]! * b[rb + v]!;
        }
        for (let v = 0; v < w; v++) d[v]! /= T;
      }
    }
    const acc = new Float64Array(w);
    for (let k = 0; k < nPerm; k++) {
      acc.fill(0);
      for (let pos = 0; pos < nB; pos++) {
        const base = (orders[k * nB + pos]! * nB + pos) * w;
        for (let v = 0; v < w; v++) acc[v]! += D[base + v]!;
      }
      tally(k, acc, v0);
      onProgress?.((v0 / VOXEL_PASS) * nPerm + k + 1, passes * nPerm);
    }
  }
}
