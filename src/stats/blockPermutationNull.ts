import { ENCODE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { mulberry32, type Matrix } from '../linalg/index.ts';
import type { Tail } from './gaussianNullP.ts';
import { correlationNullP } from './correlationNullP.ts';
import { PERMUTATION_P_DEFAULTS, type PTail } from './permutationP.ts';

/** Options of {@link blockPermutationNull}. */
export interface BlockPermutationOptions {
  /**
   * 'block' (default): cut the observed time course into consecutive blocks of `blockLength`
   * samples (the last may be shorter) and shuffle the block order; this keeps autocorrelation
   * within blocks (with one block per stimulus clip, the clips are what is exchanged).
   * 'circular': shift it circularly by a random s with minShift ≤ s ≤ T − minShift; this keeps
   * its autocorrelation exactly except at the seam, but has only T − 2·minShift + 1 distinct
   * shifts. Warning: it measured anti-conservative on simulated fMRI test runs (AR(1) +
   * physiological noise + drift): 7.5–9.9% of noise voxels at p ≤ 0.05 (issue 17); prefer 'block'.
   */
  method?: 'circular' | 'block';
  /** Number of permutations (default 1000); the empirical p cannot go below 1 / (1 + nPerm). */
  nPerm?: number;
  /** Block length in samples for 'block' (default 10: one 15 s clip at TR 1.5 s). */
  blockLength?: number;
  /** Smallest circular shift in samples for 'circular' (default 10), so a shift never nearly undoes itself. */
  minShift?: number;
  /** PRNG seed (default 0): same data and seed give identical output. */
  seed?: number;
  /** 'upper' (default, r > 0 as in the paper) or 'two-sided' (|r|). */
  tail?: Tail;
  /**
   * 'gpd' (default): where r is beyond every permutation, p from a generalized Pareto fit of the
   * voxel's null tail (see `permutationP`), so p can go below 1/(1 + nPerm); 'none': the count alone.
   */
  pTail?: PTail;
  /** Empirical p below this may be refined with the tail fit (default 0.1, as PALM). */
  tailThreshold?: number;
  /** Counts of at least this many permutations keep their empirical p (default 1; see `permutationP`). */
  reliableCount?: number;
  /** Keep the nPerm × V null correlations (default true; 4·nPerm·V bytes). */
  keepNull?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link blockPermutationNull}. */
export interface PermutationNullResult {
  /** Observed Pearson r per voxel (V); NaN where either column is constant. */
  r: Float64Array;
  /** p per voxel (V): `pEmpirical`, refined in the tail when pTail is 'gpd'; NaN where r is NaN. */
  p: Float64Array;
  /** (1 + #{null r ≥ r}) / (1 + nPerm) per voxel (|·| for two-sided); NaN where r is NaN. */
  pEmpirical: Float64Array;
  /** Where each p came from (`P_SOURCE`: 0 the count, 1 the Pareto tail, 2 the moment-matched fallback). */
  pSource: Uint8Array;
  /** Null correlations, nPerm × V row-major (permutation-major), or null when keepNull is false. */
  nullR: Float32Array | null;
  nPerm: number;
  pTail: PTail;
}

/** Bytes of float64 null values held per pass of voxels (the pass width adapts to nPerm). */
const PASS_BYTES = 32 * 2 ** 20;
/** Widest pass: the block-pair table of one pass is nBlocks² × this many float64. */
const MAX_PASS = 512;

/**
 * A null distribution of correlations that keeps the temporal autocorrelation of fMRI: the
 * observed test time course is block-shuffled (or circularly shifted), with the SAME permutation
 * for every voxel, and correlated again with the unchanged prediction. Stricter than the
 * Gaussian null (`gaussianNullP`), which assumes independent samples.
 *
 * The empirical p uses the (1 + count) / (1 + nPerm) rule (Phipson & Smyth 2010), so it is never
 * 0 and the test is valid at finite nPerm, but it cannot go below 1/(1 + nPerm), which caps what
 * Benjamini-Hochberg can find on a sparse map. With `pTail: 'gpd'` (default) and at least 1,000
 * permutations, a voxel whose r is beyond every permutation gets its p from a generalized Pareto
 * fit of its null's tail, as FSL's PALM does, on the scale where a correlation null's tail is
 * near exponential (`correlationNullP`), never above the empirical p.
 *
 * Cost: nPerm · T · V multiply-adds; a block shuffle of equal blocks costs T · nBlocks · V
 * multiply-adds once plus nPerm · nBlocks · V additions, and a circular null computes each of its
 * T − 2·minShift + 1 distinct shifts once per pass of voxels. Memory: the nulls of one pass of
 * voxels at a time (32 MB), so the tail can be fitted without keeping the nPerm × V null
 * (keepNull: false), plus about 1 ms per voxel refined (a sort of its null).
 *
 * @param observed T × V measured responses (e.g. the averaged test repetitions).
 * @param predicted T × V model predictions, same shape.
 * @example blockPermutationNull(Y, Yhat, { nPerm: 1000, seed: 1, keepNull: false }).p // → Float64Array(V)
 */
export function blockPermutationNull(observed: Matrix, predicted: Matrix, opts: BlockPermutationOptions = {}): PermutationNullResult {
  const { rows: T, cols: V } = observed;
  if (predicted.rows !== T || predicted.cols !== V) {
    fail('MISMATCH', `blockPermutationNull: observed is ${T}×${V} but predicted is ${predicted.rows}×${predicted.cols}; pass the same scans × voxels for both.`);
  }
  if (observed.data.length !== T * V || predicted.data.length !== T * V) fail('BAD_INPUT', 'blockPermutationNull: data length differs from rows × cols.');
  const method = opts.method ?? 'block';
  if (method !== 'circular' && method !== 'block') fail('BAD_INPUT', `blockPermutationNull: method '${String(method)}' is not one of 'circular', 'block'.`);
  const tail = opts.tail ?? 'upper';
  if (tail !== 'upper' && tail !== 'two-sided') fail('BAD_INPUT', `blockPermutationNull: tail '${String(tail)}' is not one of 'upper', 'two-sided'.`);
  const pTail = opts.pTail ?? ENCODE_DEFAULTS.pTail;
  if (pTail !== 'gpd' && pTail !== 'none') fail('BAD_INPUT', `blockPermutationNull: pTail '${String(pTail)}' is not one of 'gpd', 'none'.`);
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
  dotColumns(zo, zp, null, T, V, 0, V, r);

  // Every permutation is drawn up front, in the order a single pass over all voxels would draw it,
  // so that every pass of voxels sees the same permutations.
  const rand = mulberry32(opts.seed ?? 0);
  const nBlocks = Math.ceil(T / blockLength);
  const equalBlocks = method === 'block' && T % blockLength === 0;
  const orders = method === 'block' ? drawBlockOrders(rand, nPerm, nBlocks) : null;
  const shifts = method === 'circular' ? Int32Array.from({ length: nPerm }, () => minShift + Math.floor(rand() * (T - 2 * minShift + 1))) : null;

  const nullR = (opts.keepNull ?? true) ? new Float32Array(nPerm * V) : null;
  const p = new Float64Array(V);
  const pEmpirical = new Float64Array(V);
  const pSource = new Uint8Array(V);
  const width = Math.max(1, Math.min(MAX_PASS, Math.floor(PASS_BYTES / (8 * nPerm))));
  const passes = Math.ceil(V / width);
  const column = new Float64Array(nPerm);
  const count = new Int32Array(width);
  // Only a voxel the tail could refine needs its null gathered (a strided read): the rest get the count.
  const reliableCount = opts.reliableCount ?? PERMUTATION_P_DEFAULTS.reliableCount;
  const tailThreshold = opts.tailThreshold ?? PERMUTATION_P_DEFAULTS.tailThreshold;
  const refine = pTail === 'gpd' && nPerm >= PERMUTATION_P_DEFAULTS.minNull;
  for (let v0 = 0, pass = 0; v0 < V; v0 += width, pass++) {
    const w = Math.min(width, V - v0);
    const buf = new Float64Array(nPerm * w); // permutation-major: buf[k * w + j]
    const progress = (k: number) => opts.onProgress?.(pass * nPerm + k + 1, passes * nPerm);
    if (equalBlocks) blockShuffleNull(zo, zp, T, V, v0, w, blockLength, orders!, buf, progress);
    else permutedNull(zo, zp, T, V, v0, w, { orders, blockLength, nBlocks, shifts }, buf, progress);
    if (nullR) for (let k = 0; k < nPerm; k++) for (let j = 0; j < w; j++) nullR[k * V + v0 + j] = buf[k * w + j]!;
    count.fill(0);
    for (let k = 0; k < nPerm; k++) {
      const row = k * w;
      if (tail === 'upper') { for (let j = 0; j < w; j++) if (buf[row + j]! >= r[v0 + j]!) count[j]!++; }
      else for (let j = 0; j < w; j++) if (Math.abs(buf[row + j]!) >= Math.abs(r[v0 + j]!)) count[j]!++;
    }
    for (let j = 0; j < w; j++) {
      const v = v0 + j;
      const rv = r[v]!;
      if (Number.isNaN(rv)) { p[v] = pEmpirical[v] = Number.NaN; continue; }
      p[v] = pEmpirical[v] = (1 + count[j]!) / (1 + nPerm);
      if (!(refine && count[j]! < reliableCount && pEmpirical[v]! < tailThreshold)) continue;
      for (let k = 0; k < nPerm; k++) column[k] = buf[k * w + j]!;
      const res = correlationNullP(rv, column, { pTail, tail, tailThreshold, reliableCount });
      p[v] = res.p;
      pSource[v] = res.source;
    }
  }
  return { r, p, pEmpirical, pSource, nullR, nPerm, pTail };
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

/** out[j] = (1/T) Σ_t a[perm[t], v0 + j] · b[t, v0 + j] for j < w (perm null → identity). */
function dotColumns(a: Float64Array, b: Float64Array, perm: Int32Array | null, T: number, V: number, v0: number, w: number, out: Float64Array): void {
  out.fill(0, 0, w);
  for (let t = 0; t < T; t++) {
    const ra = (perm ? perm[t]! : t) * V + v0;
    const rb = t * V + v0;
    for (let j = 0; j < w; j++) out[j]! += a[ra + j]! * b[rb + j]!;
  }
  for (let j = 0; j < w; j++) out[j]! /= T;
}

/** The null of one pass of voxels by multiplying again: block shuffles of unequal blocks, or circular shifts. */
function permutedNull(
  a: Float64Array, b: Float64Array, T: number, V: number, v0: number, w: number,
  draws: { orders: Int32Array | null; blockLength: number; nBlocks: number; shifts: Int32Array | null },
  buf: Float64Array, progress: (k: number) => void,
): void {
  const nPerm = buf.length / w;
  const perm = new Int32Array(T);
  const acc = new Float64Array(w);
  const known = new Map<number, Float64Array>(); // a circular null has only T - 2·minShift + 1 distinct shifts
  const { orders, blockLength, nBlocks, shifts } = draws;
  for (let k = 0; k < nPerm; k++) {
    if (shifts) {
      const s = shifts[k]!;
      let row = known.get(s);
      if (!row) {
        for (let t = 0; t < T; t++) perm[t] = (t + s) % T;
        dotColumns(a, b, perm, T, V, v0, w, acc);
        known.set(s, (row = Float64Array.from(acc)));
      }
      buf.set(row, k * w);
    } else {
      let t = 0;
      for (let pos = 0; pos < nBlocks; pos++) {
        const start = orders![k * nBlocks + pos]! * blockLength;
        const end = Math.min(T, start + blockLength);
        for (let u = start; u < end; u++) perm[t++] = u;
      }
      dotColumns(a, b, perm, T, V, v0, w, acc);
      buf.set(acc, k * w);
    }
    progress(k);
  }
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

/**
 * The block-shuffle null of one pass of voxels without re-multiplying: with equal blocks, the
 * correlation after a shuffle is Σ_b D[order[b], b], where D[i, j] is block i of `a` dotted with
 * block j of `b`. D costs one pass over the data (T · nBlocks · w multiply-adds); each
 * permutation then costs nBlocks · w additions instead of T · w multiply-adds: blockLength times
 * fewer operations.
 */
function blockShuffleNull(
  a: Float64Array, b: Float64Array, T: number, V: number, v0: number, w: number, blockLength: number, orders: Int32Array,
  buf: Float64Array, progress: (k: number) => void,
): void {
  const nB = T / blockLength;
  const nPerm = orders.length / nB;
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
  for (let k = 0; k < nPerm; k++) {
    const acc = buf.subarray(k * w, (k + 1) * w);
    const order = orders.subarray(k * nB, (k + 1) * nB);
    let pos = 0;
    // four blocks per pass over acc, added in the same order as one at a time (the same bits):
    // a quarter of the loads and stores of acc (the encode null of a 2,000-voxel brain 1.6x faster)
    for (; pos + 4 <= nB; pos += 4) {
      const b0 = (order[pos]! * nB + pos) * w;
      const b1 = (order[pos + 1]! * nB + pos + 1) * w;
      const b2 = (order[pos + 2]! * nB + pos + 2) * w;
      const b3 = (order[pos + 3]! * nB + pos + 3) * w;
      for (let v = 0; v < w; v++) {
        let x = acc[v]!;
        x += D[b0 + v]!;
        x += D[b1 + v]!;
        x += D[b2 + v]!;
        x += D[b3 + v]!;
        acc[v] = x;
      }
    }
    for (; pos < nB; pos++) {
      const base = (order[pos]! * nB + pos) * w;
      for (let v = 0; v < w; v++) acc[v]! += D[base + v]!;
    }
    progress(k);
  }
}
