import { RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { ridgeCVScores } from '../ridge/index.ts';
import type { DecoderTrainingData } from './fitRoiEnsemble.ts';
import { fitStandardizer, selectStandardized } from './standardizer.ts';
import { takeRows } from './takeRows.ts';

/** Options of {@link encodingCvScores}. */
export interface EncodingCvOptions {
  /** Rows to use (sorted; default all): the training part of an outer CV fold. */
  rows?: Int32Array;
  /** Folds of the encoding model's CV (default 5, at most the number of clips), grouped by clip. */
  folds?: number;
  /** Alphas tried per voxel (default: the ridge's logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /**
   * Voxels per ridge call (default: as many as keep a batch's responses within 2 GB, i.e. the whole
   * cortex of ds003720 in one call). Each call repeats the per-fold eigendecompositions of the
   * embedding's Gram matrix, so fewer batches are faster; results do not depend on it.
   */
  voxelBatch?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Per-voxel encoding scores (length V each). */
export interface EncodingCvScores {
  /** Encoding CV r: mean over the clip-grouped folds of the held-out Pearson r, at the voxel's chosen alpha. */
  r: Float32Array;
  /** The alpha each voxel chose (by CV R²). */
  bestAlpha: Float32Array;
  nRows: number;
  nClips: number;
  nFolds: number;
}

/**
 * How well the target embedding predicts each voxel, by cross-validation on training rows only:
 * ridge from the embedding's window rows (`train.Y`, the aligned rows the decoder uses; columns
 * z-scored with these rows' statistics) to every voxel's response (`train.X`), one alpha per
 * voxel chosen by K-fold CV with folds grouped by clip, each voxel scored by the mean over folds
 * of the Pearson r between its held-out responses and their predictions at its chosen alpha.
 *
 * The alpha is chosen by CV R² (as himalaya and `fitEncoding` do), not by the r itself: the
 * maximum of r over the alpha grid is biased upwards for voxels without signal (on pure-noise
 * voxels, 480 clips × 4 windows, 128-d embedding: median CV r 0.011, 25% above 0.05), while R²
 * sends them to the largest alpha, where r is an out-of-fold score with no choice in it
 * (median −0.001, 20% above 0.05: the null spread of r over 480 clips). No prediction matrix is
 * formed (the ridge's sufficient statistics); voxels run in batches of `voxelBatch`. A constant
 * voxel scores 0. Rows outside `rows` (a validation fold, the test set) are never read.
 */
export async function encodingCvScores(train: DecoderTrainingData, opts: EncodingCvOptions = {}): Promise<EncodingCvScores> {
  const { X, Y, nVoxels: V, nTargets: T, groups } = train;
  const n = groups.length;
  if (X.length !== n * V || Y.length !== n * T) fail('MISMATCH', `encoding scores: ${n} rows, but the responses hold ${X.length} values (V=${V}) and the embeddings ${Y.length} (T=${T}).`);
  const rows = opts.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = rows.length;
  const g = Int32Array.from(rows, (i) => groups[i]);
  const nClips = new Set(g).size;
  if (nClips < 2) fail('BAD_INPUT', `the encoding model for voxel selection needs at least 2 training clips, got ${nClips}.`);
  const nFolds = Math.min(opts.folds ?? RIDGE_DEFAULTS.folds, nClips);
  const Ym = takeRows(Y, T, rows);
  const st = fitStandardizer(Ym, m, T);
  const features = { rows: m, cols: T, data: selectStandardized(Ym, m, T, Int32Array.from({ length: T }, (_, j) => j), st) };
  const batch = Math.max(1, Math.min(V, opts.voxelBatch ?? Math.floor(2e9 / (4 * Math.max(m, 1)))));
  const r = new Float32Array(V);
  const bestAlpha = new Float32Array(V);
  opts.onProgress?.(0, V);
  for (let v0 = 0; v0 < V; v0 += batch) {
    const b = Math.min(batch, V - v0);
    let data: Float32Array;
    if (b === V && m === n) data = X; // the whole matrix: no copy
    else {
      data = new Float32Array(m * b);
      for (let i = 0; i < m; i++) data.set(X.subarray(rows[i] * V + v0, rows[i] * V + v0 + b), i * b);
    }
    const cv = await ridgeCVScores(features, { rows: m, cols: b, data }, {
      ...(opts.alphas ? { alphas: opts.alphas } : {}), folds: nFolds, groups: g, score: 'r2', alsoScore: 'r',
    });
    r.set(cv.bestAlsoCvScores as Float64Array, v0);
    bestAlpha.set(cv.bestAlphas, v0);
    opts.onProgress?.(v0 + b, V);
  }
  return { r, bestAlpha, nRows: m, nClips, nFolds };
}
