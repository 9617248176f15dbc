import { RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { fitRidgeCV, groupKFold, predictRidge, type RidgeFit } from '../ridge/index.ts';
import { pearsonPerDimension } from '../evaluate/index.ts';

/**
 * How a voxel set's decoder is scored on the training set (to rank ROIs):
 * - `'inner'` (default): the cross-validated correlation that chose each dimension's alpha (the
 *   ridge's `cvScores` with score 'r': mean over the clip-grouped folds of Pearson r between
 *   held-out predictions and targets, at the best alpha), averaged over dimensions. One ridge fit
 *   per ROI; slightly optimistic because the same folds pick the alpha (one of ~20), which hardly
 *   changes the ranking.
 * - `'nested'`: out-of-fold predictions with nested alpha choice. For each of the outer folds
 *   (groups = clips), a ridge with its own inner CV is fitted on the other folds and predicts the
 *   held-out fold; the score is the mean over dimensions of Pearson r between the pooled
 *   out-of-fold predictions and the targets. Unbiased; costs `folds + 1` ridge fits per ROI
 *   (each one eigendecomposition per fold), which is why it is not the default.
 * Both use training data only.
 */
export type CvScoreMode = 'nested' | 'inner';

/** Ridge settings for the decoders. */
export interface DecoderRidgeOptions {
  /** Alphas tried per embedding dimension (default: the ridge's logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /** Folds for alpha choice and scoring (default 5); folds never split a clip. */
  folds?: number;
  cvScore?: CvScoreMode;
}

/** A ridge decoder on one voxel set with its training-set CV score. */
export interface VoxelDecoderFit {
  fit: RidgeFit;
  /** Mean over dimensions of the CV Pearson r (see {@link CvScoreMode}). */
  cvScore: number;
  /** CV Pearson r per embedding dimension (length T). */
  cvR: Float64Array;
}

/** Rows of an `n × cols` row-major matrix whose mask is `keep`. */
function rowsWhere(data: Float32Array, cols: number, mask: Int32Array, keep: (f: number) => boolean): Float32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (keep(mask[i])) n++;
  const out = new Float32Array(n * cols);
  let r = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!keep(mask[i])) continue;
    out.set(data.subarray(i * cols, (i + 1) * cols), r * cols);
    r++;
  }
  return out;
}

/**
 * Fits a ridge decoder `X → Y` (one alpha per embedding dimension, k-fold CV grouped by clip)
 * and scores it by cross-validated correlation on the same training rows.
 *
 * @param X `n × p` float32 row-major, already standardised with training statistics
 * @param Y `n × T` float32 row-major targets (embedding dimensions)
 * @param groups clip index per row (length n): a clip's windows stay in one fold
 */
export async function fitVoxelDecoder(
  X: Float32Array,
  p: number,
  Y: Float32Array,
  T: number,
  groups: Int32Array,
  opts: DecoderRidgeOptions = {},
): Promise<VoxelDecoderFit> {
  const n = groups.length;
  if (X.length !== n * p) fail('MISMATCH', `decoder features hold ${X.length} values, expected ${n} rows × ${p} voxels.`);
  if (Y.length !== n * T) fail('MISMATCH', `decoder targets hold ${Y.length} values, expected ${n} rows × ${T} dimensions.`);
  const folds = opts.folds ?? RIDGE_DEFAULTS.folds;
  const mode = opts.cvScore ?? 'inner';
  // the ridge's 'auto' picks the kernel form once the voxels outnumber a fold's training rows
  const ridgeOpts = { folds, groups, score: 'r' as const, ...(opts.alphas ? { alphas: opts.alphas } : {}) };
  const fit = await fitRidgeCV({ rows: n, cols: p, data: X }, { rows: n, cols: T, data: Y }, ridgeOpts);

  let cvR: Float64Array;
  if (mode === 'inner') {
    cvR = fit.bestCvScores;
  } else if (mode === 'nested') {
    // Outer folds from the ridge's own grouped K-fold: a clip's windows never straddle folds.
    const foldOf = new Int32Array(n);
    groupKFold(groups, folds).forEach((fold, f) => { for (const i of fold.test) foldOf[i] = f; });
    const oof = new Float32Array(n * T);
    for (let f = 0; f < folds; f++) {
      const Xtr = rowsWhere(X, p, foldOf, (g) => g !== f);
      const Ytr = rowsWhere(Y, T, foldOf, (g) => g !== f);
      const gtr = new Int32Array(Ytr.length / T);
      let r = 0;
      for (let i = 0; i < n; i++) if (foldOf[i] !== f) gtr[r++] = groups[i];
      const inner = await fitRidgeCV(
        { rows: gtr.length, cols: p, data: Xtr },
        { rows: gtr.length, cols: T, data: Ytr },
        // the outer fit's solver: each inner fit is a part of the same decoder
        { ...ridgeOpts, groups: gtr, folds: Math.min(folds, new Set(gtr).size), solver: fit.solver },
      );
      const Xte = rowsWhere(X, p, foldOf, (g) => g === f);
      const pred = await predictRidge(inner, { rows: Xte.length / p, cols: p, data: Xte });
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (foldOf[i] !== f) continue;
        for (let t = 0; t < T; t++) oof[i * T + t] = pred.data[k * T + t];
        k++;
      }
    }
    cvR = pearsonPerDimension(oof, Y, n, T).perDim;
  } else {
    fail('BAD_INPUT', `unknown CV score mode '${String(mode)}'; use 'nested' or 'inner'.`);
  }
  let sum = 0;
  for (const r of cvR) sum += r;
  return { fit, cvScore: sum / T, cvR };
}
