import { ENCODE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { fitRidgeCV, predictRidge } from '../ridge/index.ts';
import { blockPermutationNullOnThreads, fdrBh, gaussianNullP, noiseCeiling, type PTail } from '../stats/index.ts';
import type { EncodingDesign } from './buildEncodingDesign.ts';
import type { EncodingResponses } from './encodingResponses.ts';
import { gatherMeanRows, gatherRepetitions, gatherRows } from './gatherRows.ts';
import { scoreColumns } from './scoreColumns.ts';

/** Which null distribution gives the per-voxel p-values. */
export type EncodingNull = 'gaussian' | 'block';

/** Options of {@link fitEncoding}. */
export interface EncodingFitOptions {
  /** Ridge penalties tried per voxel (default: the ridge stage's, logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /**
   * Cross-validation for the per-voxel alpha: 'clip' (default) = `folds` contiguous blocks of
   * training clips (no clip is split, neighbouring clips stay together so their shared slow
   * signal does not leak across folds); 'run' = leave one training run out.
   */
  cv?: 'clip' | 'run';
  /** Folds for cv 'clip' (default 5). */
  folds?: number;
  /**
   * Score that picks each voxel's alpha in CV (default 'r2', as himalaya): 'r2' shrinks voxels
   * without signal towards their mean, so test R² (used by variance partitioning) is not pushed
   * below 0 by overfitted noise; 'r' ignores the scale of the prediction.
   */
  cvScore?: 'r2' | 'r';
  /**
   * 'block' (default): the test time course shuffled in blocks of one clip, which keeps its
   * autocorrelation, scored on each clip's scans from the largest FIR delay on (see blockNullP);
   * 'gaussian': the paper's null, correlations of independent Gaussian vectors of the test
   * length. The Gaussian null ignores autocorrelation: on simulated brains (AR(1), physiological
   * noise, drift) about 30% of its FDR-significant voxels had no signal, against 4–5% with the
   * block null (README "Encoding"). Voxels with r ≤ 0 get p = 1 without permuting (conservative;
   * they cannot be significant), which halves the cost on a mostly silent cortex.
   */
  nullKind?: EncodingNull;
  /**
   * Permutations of the block null (default 10,000, as the pipeline): its counted p-values cannot
   * go below 1/(1+nPerm) (with 1,000 and the count alone BH found nothing on a sparse map of about
   * 10k voxels); see `pTail`.
   */
  nPerm?: number;
  /**
   * p below the block null's floor (default 'gpd'): a voxel whose r is beyond every permutation
   * gets its p from a generalized Pareto fit of its null's tail, as FSL's PALM (see
   * `correlationNullP`; needs nPerm ≥ 1,000, else the count stays); 'none': the count alone,
   * (1 + #{null ≥ r}) / (1 + nPerm). Ignored by the Gaussian null.
   */
  pTail?: PTail;
  /** FDR level for the significant mask (default 0.05). */
  alpha?: number;
  /** Seed of the block null (default 0). */
  seed?: number;
  /**
   * Voxels per ridge fit (default: as many as keep a batch's training responses within 2 GB, i.e.
   * the whole cortex of ds003720 in one fit). Lower it to bound memory: a batch holds its training
   * responses (4·nTrain bytes per voxel) and its test predictions; each batch repeats the
   * per-fold eigendecompositions, so fewer batches are faster.
   */
  voxelBatch?: number;
  /** Voxels scored, tested and given a noise ceiling at once (default 8192; float64 work arrays of nTest × this). */
  scoreChunk?: number;
  /** Passed to the ridge stage: targets per internal chunk (bounds its work arrays). */
  targetBatch?: number;
  /** Progress in voxels (done, total): each batch's first half while it is fitted, its second half while it is scored and tested. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Per-voxel result of one encoding model (all arrays have length V = `resp.nVoxels`).
 * `r` and `r2` are scored on the repetition-averaged test scans, all of them; `p` under
 * `nullKind`, `q` its Benjamini-Hochberg q-value over all voxels, `significant[v] = 1` where
 * `q ≤ alpha` and `r > 0`. `ceiling` is the noise-ceiling correlation for the mean of the test
 * repetitions (NaN where there are fewer than 2 repetitions), `rNormalised = r / ceiling`.
 *
 * The block null does not test `r` itself: it tests `rNull`, the correlation over each clip's
 * scans from `nullFromScan` (the largest FIR delay) on, which is what its shuffles can make
 * exchangeable (see `blockNullP`); `r` (every test scan) is what the maps show. For the
 * Gaussian null `rNull` is `r`.
 */
export interface EncodingMaps {
  name: string;
  nVoxels: number;
  nTrain: number;
  nTest: number;
  nFeatures: number;
  nullKind: EncodingNull;
  fdrAlpha: number;
  /** Block null: its permutations, the tail method, the first scan of each clip it scores; null for the Gaussian null. */
  nPerm: number | null;
  pTail: PTail | null;
  nullFromScan: number | null;
  r: Float32Array;
  /** The statistic the null tested (see above). */
  rNull: Float32Array;
  r2: Float32Array;
  p: Float32Array;
  /** Block null: the counted p, (1 + #{null ≥ rNull}) / (1 + nPerm), 1 where r ≤ 0; null for the Gaussian null. */
  pEmpirical: Float32Array | null;
  /** Block null: where each p came from (`P_SOURCE` of stats: 0 the count, 1 the Pareto tail, 2 the moment-matched fallback); null for the Gaussian null. */
  pSource: Uint8Array | null;
  q: Float32Array;
  significant: Uint8Array;
  bestAlpha: Float32Array;
  ceiling: Float32Array;
  rNormalised: Float32Array;
}

/** CV groups for the ridge stage: contiguous blocks of clips, or runs. */
export function cvGroups(design: EncodingDesign, cv: 'clip' | 'run', folds: number): Int32Array {
  if (cv === 'run') return design.trainRunGroup;
  const nClips = design.nTrain === 0 ? 0 : design.trainClip[design.nTrain - 1]! + 1;
  if (!Number.isInteger(folds) || folds < 2 || folds > nClips) fail('BAD_INPUT', `folds must be an integer in 2..${nClips} (training clips), got ${folds}.`);
  return design.trainClip.map((c) => Math.floor((c * folds) / nClips));
}

/**
 * Fits one voxelwise encoding model: ridge from the design's features to every voxel, one alpha
 * per voxel by grouped CV on the training rows only, scored on the averaged test rows, with p, q,
 * significance and the noise ceiling. Voxels are processed in batches of `voxelBatch`, so memory
 * stays bounded whatever V is; results do not depend on the batch size (up to float32
 * rounding in the GEMM backend).
 *
 * @param name the model's name (file prefix of its maps)
 */
export async function fitEncoding(resp: EncodingResponses, design: EncodingDesign, name: string, opts: EncodingFitOptions = {}): Promise<EncodingMaps> {
  return finishEncoding(await fitEncodingVoxels(resp, design, name, opts));
}

/**
 * The per-voxel part of an encoding model (everything but q and the significance mask, which
 * need every voxel of the brain): {@link fitEncoding} on voxels `[v0, v1)` only (default: all),
 * what one block unit of a whole-brain encoding computes. Every voxel's results are those of a
 * fit over all voxels (the block null gives every voxel the same permutations), up to the GEMM
 * backend's float32 rounding.
 */
export async function fitEncodingVoxels(resp: EncodingResponses, design: EncodingDesign, name: string, opts: EncodingFitOptions = {}, range: readonly [number, number] = [0, resp.nVoxels]): Promise<EncodingVoxelFit> {
  const [vFrom, vTo] = range;
  if (!(Number.isInteger(vFrom) && Number.isInteger(vTo) && 0 <= vFrom && vFrom < vTo && vTo <= resp.nVoxels)) fail('INTERNAL', `voxel range [${vFrom}, ${vTo}) is not within the ${resp.nVoxels} voxels.`);
  const V = vTo - vFrom;
  const { nTrain, nTest, nFeatures: p } = design;
  const nullKind = opts.nullKind ?? ENCODE_DEFAULTS.null;
  if (nullKind !== 'gaussian' && nullKind !== 'block') fail('BAD_INPUT', `null '${String(nullKind)}' is not one of gaussian, block.`);
  const pTail = opts.pTail ?? ENCODE_DEFAULTS.pTail;
  if (pTail !== 'gpd' && pTail !== 'none') fail('BAD_INPUT', `p tail '${String(pTail)}' is not one of gpd, none.`);
  const nPerm = opts.nPerm ?? ENCODE_DEFAULTS.nPerm;
  const block = nullKind === 'block';
  const skip = Math.min(Math.max(0, ...design.delays), design.scansPerClip - 1);
  const cv = opts.cv ?? 'clip';
  if (cv !== 'clip' && cv !== 'run') fail('BAD_INPUT', `cv '${String(cv)}' is not one of clip, run.`);
  const fdrAlpha = opts.alpha ?? ENCODE_DEFAULTS.fdrQ;
  if (!(fdrAlpha > 0 && fdrAlpha < 1)) fail('BAD_INPUT', `FDR level must be in (0, 1), got ${fdrAlpha}.`);
  if (nTest < 3) fail('BAD_INPUT', `${resp.subject}: ${nTest} test scans; encoding is scored on the test runs and needs at least 3.`);
  const groups = cvGroups(design, cv, opts.folds ?? 5);
  const batch = Math.max(1, Math.min(V, opts.voxelBatch ?? Math.floor(2e9 / (4 * Math.max(nTrain, 1)))));
  // local voxel v is the responses' voxel vFrom + v
  const X = { rows: nTrain, cols: p, data: design.trainX };
  const Xtest = { rows: nTest, cols: p, data: design.testX };
  const nReps = design.minTestReps;
  const chunk = Math.max(1, opts.scoreChunk ?? 8192);

  const out = {
    r: new Float32Array(V), r2: new Float32Array(V), p: new Float32Array(V), bestAlpha: new Float32Array(V),
    ceiling: new Float32Array(V).fill(Number.NaN), rNull: new Float32Array(V),
    pEmpirical: block ? new Float32Array(V) : null, pSource: block ? new Uint8Array(V) : null,
  };
  for (let v0 = 0; v0 < V; v0 += batch) {
    const v1 = Math.min(V, v0 + batch);
    const Y = { rows: nTrain, cols: v1 - v0, data: gatherRows(resp, design.trainRun, design.trainScan, vFrom + v0, vFrom + v1) };
    const fit = await fitRidgeCV(X, Y, {
      ...(opts.alphas ? { alphas: opts.alphas } : {}),
      ...(cv === 'run' ? { folds: 'leave-one-group-out' as const } : { folds: opts.folds ?? 5 }),
      groups, score: opts.cvScore ?? 'r2', ...(opts.targetBatch ? { targetBatch: opts.targetBatch } : {}),
      // progress: the first half of a batch's voxels for the fit, the second half for scoring
      onProgress: (done) => opts.onProgress?.(v0 + Math.floor(Math.min(done, v1 - v0) / 2), V),
    });
    Y.data = new Float32Array(0); // release the batch's training responses before predicting
    const pred = await predictRidge(fit, Xtest);
    out.bestAlpha.set(fit.bestAlphas, v0);
    // Scores, null and ceiling in chunks: their float64 work arrays stay small whatever the batch.
    for (let c0 = v0; c0 < v1; c0 += chunk) {
      const c1 = Math.min(v1, c0 + chunk);
      const w = c1 - c0;
      const predData = new Float32Array(nTest * w);
      for (let i = 0; i < nTest; i++) for (let v = 0; v < w; v++) predData[i * w + v] = pred.data[i * (v1 - v0) + (c0 - v0) + v]!;
      const actual = gatherMeanRows(resp, design.testOffsets, design.testRun, design.testScan, vFrom + c0, vFrom + c1);
      const { r, r2 } = scoreColumns(predData, actual, nTest, w);
      out.r.set(r, c0);
      out.r2.set(r2, c0);
      if (block) {
        const res = await blockNullP(actual, predData, r, nTest, w, { blockLength: design.scansPerClip, skip, nPerm, seed: opts.seed ?? 0, pTail });
        out.p.set(res.p, c0);
        out.pEmpirical!.set(res.pEmpirical, c0);
        out.pSource!.set(res.pSource, c0);
        out.rNull.set(res.rNull, c0);
      } else {
        // A constant prediction or voxel gives r = 0 here: p = 0.5, never significant.
        out.p.set(gaussianNullP(r, nTest), c0);
        out.rNull.set(r, c0);
      }
      if (nReps >= 2) {
        const reps = gatherRepetitions(resp, design.testOffsets, design.testRun, design.testScan, nReps, vFrom + c0, vFrom + c1);
        const list = Array.from({ length: nReps }, (_, k) => reps.subarray(k * nTest * w, (k + 1) * nTest * w));
        out.ceiling.set(noiseCeiling(list, w).ceilingR, c0);
      }
      opts.onProgress?.(v0 + Math.floor((v1 - v0) / 2) + Math.ceil((c1 - v0) / 2), V);
    }
  }
  return {
    name, nVoxels: V, nTrain, nTest, nFeatures: p, nullKind, fdrAlpha,
    nPerm: block ? nPerm : null, pTail: block ? pTail : null, nullFromScan: block ? skip : null,
    r: out.r, rNull: out.rNull, r2: out.r2, p: out.p, pEmpirical: out.pEmpirical, pSource: out.pSource, bestAlpha: out.bestAlpha, ceiling: out.ceiling,
  };
}

/** An encoding model's maps without what needs every voxel (q, significant, rNormalised): see {@link fitEncodingVoxels}. */
export type EncodingVoxelFit = Omit<EncodingMaps, 'q' | 'significant' | 'rNormalised'>;

/** The maps from the per-voxel fit of every voxel: BH q over all of them, the significance mask, r over the noise ceiling. */
export function finishEncoding(fit: EncodingVoxelFit): EncodingMaps {
  const V = fit.nVoxels;
  const q = fdrBh(fit.p);
  const significant = new Uint8Array(V);
  const rNormalised = new Float32Array(V);
  for (let v = 0; v < V; v++) {
    significant[v] = q[v]! <= fit.fdrAlpha && fit.r[v]! > 0 ? 1 : 0;
    const c = fit.ceiling[v]!;
    rNormalised[v] = c > 0 ? fit.r[v]! / c : Number.NaN;
  }
  const { bestAlpha, ceiling, ...head } = fit;
  // the fields in the order fitEncoding always gave them
  return { ...head, q: Float32Array.from(q), significant, bestAlpha, ceiling, rNormalised };
}

/** What {@link blockNullP} returns for the voxels of a chunk. */
interface BlockNullChunk {
  p: Float64Array;
  pEmpirical: Float64Array;
  pSource: Uint8Array;
  /** r over each clip's scans from `skip` on: the statistic tested (0 for a constant column). */
  rNull: Float64Array;
}

/**
 * Block-null p-values (upper tail) for the voxels of a chunk. Voxels with r ≤ 0 get p = 1 without
 * permuting: they can never be significant, and p = 1 is conservative (super-uniform p-values keep
 * Benjamini-Hochberg's FDR control), so BH still counts them among its m tests. This halves the
 * cost on a cortex where most voxels carry no signal. Every voxel sees the same permutations.
 * A constant prediction or voxel (r = 0 over all scans, NaN in the null) gets p = 1.
 *
 * The test statistic is the correlation over each clip's scans from `skip` (the largest FIR
 * delay) on. Shuffling clip blocks assumes that blocks are exchangeable, but a block's first
 * scans are predicted from the features of the clips played before it, and their noise runs on
 * from those clips' last scans: both follow the order of acquisition, which a shuffle breaks, and
 * the null came out too narrow (on simulated brains: 6.5% of noise voxels at p ≤ 0.05 for
 * clip-constant features, false-discovery proportion in noise ROIs 0.053 over 30 brains). The
 * scans from the largest delay on are predicted from their own clip alone (0.043).
 */
async function blockNullP(actual: Float32Array, pred: Float32Array, r: Float64Array, n: number, w: number, o: { blockLength: number; skip: number; nPerm: number; seed: number; pTail: PTail }): Promise<BlockNullChunk> {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (i % o.blockLength >= o.skip) rows.push(i);
  const m = rows.length;
  const sa = new Float32Array(m * w), sp = new Float32Array(m * w);
  rows.forEach((i, row) => { sa.set(actual.subarray(i * w, (i + 1) * w), row * w); sp.set(pred.subarray(i * w, (i + 1) * w), row * w); });
  const out: BlockNullChunk = { p: new Float64Array(w).fill(1), pEmpirical: new Float64Array(w).fill(1), pSource: new Uint8Array(w), rNull: scoreColumns(sp, sa, m, w).r };
  const keep: number[] = [];
  for (let v = 0; v < w; v++) if (r[v]! > 0) keep.push(v);
  if (keep.length === 0) return out;
  const k = keep.length;
  const a = new Float32Array(m * k), b = new Float32Array(m * k);
  for (let row = 0; row < m; row++) {
    for (let j = 0; j < k; j++) { a[row * k + j] = sa[row * w + keep[j]!]!; b[row * k + j] = sp[row * w + keep[j]!]!; }
  }
  const res = await blockPermutationNullOnThreads({ rows: m, cols: k, data: a }, { rows: m, cols: k, data: b }, {
    method: 'block', blockLength: o.blockLength - o.skip, nPerm: o.nPerm, seed: o.seed, keepNull: false, pTail: o.pTail,
  });
  keep.forEach((v, j) => {
    if (Number.isNaN(res.p[j]!)) return;
    out.p[v] = res.p[j]!;
    out.pEmpirical[v] = res.pEmpirical[j]!;
    out.pSource[v] = res.pSource[j]!;
  });
  return out;
}
