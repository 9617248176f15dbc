import { DECODE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import type { RidgeFit } from '../ridge/index.ts';
import type { DecoderRidgeOptions } from './fitVoxelDecoder.ts';
import { fitRoiFits } from './roiFits.ts';
import type { Roi } from './roiList.ts';
import { fitStandardizer, type Standardizer } from './standardizer.ts';

/** Training data for a decoder: aligned responses (rows = clip windows) and their embeddings. */
export interface DecoderTrainingData {
  /** `n × V` float32 row-major responses (raw aligned; standardised inside with these rows' statistics). */
  X: Float32Array;
  nVoxels: number;
  /** `n × T` float32 row-major targets. */
  Y: Float32Array;
  nTargets: number;
  /** Clip index per row (length n): CV folds keep a clip's windows together. */
  groups: Int32Array;
}

/** Score and rank of one candidate ROI. */
export interface RoiScore {
  label: number;
  name: string;
  nVoxels: number;
  /** Training-set CV correlation (mean over dimensions). */
  cvScore: number;
  /** 1 = best. Ties broken by lower label. */
  rank: number;
}

/** A fitted member of the ensemble. */
export interface EnsembleMember {
  roi: Roi;
  cvScore: number;
  cvR: Float64Array;
  fit: RidgeFit;
}

/** The ROI-ensemble decoder: the top-k ROI models, averaged. */
export interface RoiEnsemble {
  k: number;
  nVoxels: number;
  nTargets: number;
  /** Training statistics of every voxel (used for test rows too). */
  standardizer: Standardizer;
  /** Every candidate ROI, best first. */
  ranking: RoiScore[];
  /** The k best ROIs in rank order, with their ridge fits. */
  members: EnsembleMember[];
}

/** Options of {@link fitRoiEnsemble}. */
export interface RoiEnsembleOptions extends DecoderRidgeOptions {
  /** ROIs kept (default 6, as in the paper). */
  k?: number;
  /** Called after each ROI is fitted (in the order they finish). */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for the ROI fits (see fitRoiFits): 'auto' by default. */
  workers?: 'auto' | 'always' | 'never';
}

/**
 * Fits one ridge decoder per ROI on the training rows, ranks the ROIs by their training-set CV
 * correlation and keeps the top k (docs/method.md §1.4). Nothing here sees test data: standardisation
 * statistics, alphas, scores and the ROI choice all come from `train` only.
 *
 * With one candidate (a whole-cortex or given-mask decoder) pass `[roi]` and `k: 1`.
 * With two or more threads and enough work the ROI fits run side by side on worker threads (fitRoiFits).
 */
export async function fitRoiEnsemble(train: DecoderTrainingData, rois: readonly Roi[], opts: RoiEnsembleOptions = {}): Promise<RoiEnsemble> {
  const k = opts.k ?? DECODE_DEFAULTS.topRois;
  const { X, Y, groups, nVoxels: V, nTargets: T } = train;
  const n = groups.length;
  if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `the number of ROIs to keep must be a positive integer, got ${k}.`);
  if (rois.length < k) fail('BAD_INPUT', `asked to keep ${k} ROIs but only ${rois.length} are available; lower --rois.`);
  if (X.length !== n * V || Y.length !== n * T) fail('MISMATCH', `training data: ${n} rows, but X has ${X.length} values (V=${V}) and Y ${Y.length} (T=${T}).`);
  const standardizer = fitStandardizer(X, n, V);
  const fits = await fitRoiFits(train, rois, standardizer, { ridge: { alphas: opts.alphas, folds: opts.folds, cvScore: opts.cvScore }, workers: opts.workers, onProgress: opts.onProgress });
  const fitted: EnsembleMember[] = fits.map((res, i) => ({ roi: rois[i], cvScore: res.cvScore, cvR: res.cvR, fit: res.fit }));
  const order = fitted.map((_, i) => i).sort((a, b) => fitted[b].cvScore - fitted[a].cvScore || fitted[a].roi.label - fitted[b].roi.label);
  const ranking = order.map((i, r) => ({
    label: fitted[i].roi.label,
    name: fitted[i].roi.name,
    nVoxels: fitted[i].roi.voxels.length,
    cvScore: fitted[i].cvScore,
    rank: r + 1,
  }));
  return { k, nVoxels: V, nTargets: T, standardizer, ranking, members: order.slice(0, k).map((i) => fitted[i]) };
}
