import { RIDGE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { checkAlphas, defaultAlphas, fitRidge, fitRidgeCV, ridgeCVScores, type RidgeFit } from '../../ridge/index.ts';
import { blockVoxels, type AlignmentBlock } from './alignmentBlocks.ts';
import { gatherColumns } from './gatherColumns.ts';
import { matchClipRows } from './matchClipRows.ts';
import type { SubjectRows } from './windowRows.ts';

/**
 * How the ridge map's alpha is chosen: `'voxel'` (default), one alpha per reference voxel by CV
 * R²; `'shared'`, one alpha per block, the one with the best CV R² averaged over the block's
 * reference voxels (for comparison). Per voxel is the default because it costs nothing extra (every
 * alpha is a rescaling of the same eigendecomposition, and the CV R² of every alpha and voxel is
 * computed either way) and reference voxels differ in how predictable they are: a voxel without
 * signal takes the largest alpha and is mapped to its mean instead of to fitted noise, while a
 * shared alpha either fits such voxels' noise or over-shrinks the informative ones.
 */
export type AlignmentAlpha = 'voxel' | 'shared';

/** Options of {@link fitRidgeAlignment}. */
export interface RidgeAlignmentOptions {
  /** Alpha grid (default logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /** CV folds, grouped by clip (default 5). */
  folds?: number;
  alpha?: AlignmentAlpha;
  /** Called after each block. */
  onProgress?: (done: number, total: number) => void;
}

/** The fitted map of one block: source voxels → reference voxels. */
export interface RidgeBlockMap {
  label: number;
  name: string;
  sourceVoxels: Int32Array;
  referenceVoxels: Int32Array;
  /** Ridge from the source's block voxels (features) to the reference's (targets): coef is `sourceVoxels × referenceVoxels` float32. */
  fit: RidgeFit;
  /** Mean over the block's reference voxels of the CV R² at the chosen alpha (how much of the reference the source predicts). */
  cvR2: number;
}

/** A ridge map from one subject's responses onto a reference subject's voxels. */
export interface RidgeAlignment {
  method: 'ridge';
  /** The source subject (whose responses the map takes). */
  subject: string;
  reference: string;
  /** Voxels of the source's responses (columns `applyAlignment` expects). */
  nVoxels: number;
  /** The shared training clips the maps were learnt on. */
  clipIds: string[];
  /** Matched rows (clips × windows). */
  rows: number;
  alpha: AlignmentAlpha;
  blocks: RidgeBlockMap[];
  /** Columns of the aligned data: the blocks' reference voxels, block after block. */
  nColumns: number;
}

/** Mean over targets of the CV score at each target's chosen alpha. */
function meanChosen(fit: { alphas: Float64Array; bestAlphas: Float64Array; cvScores: Float64Array; nTargets: number }): number {
  const T = fit.nTargets;
  const index = new Map(Array.from(fit.alphas, (a, i) => [a, i]));
  let s = 0;
  for (let t = 0; t < T; t++) s += fit.cvScores[(index.get(fit.bestAlphas[t]) as number) * T + t];
  return s / T;
}

/**
 * Functional alignment by ridge regression (the hyperalignment-by-regression of Ciferri et al.
 * 2025 on ds003720): per block, the source subject's responses to the training clips predict the
 * reference subject's responses to the same clips, row by row after matching clips and windows
 * (`matchClipRows`: the window rows the decoder uses, after the same lag and averaging).
 * `fitRidgeCV` fits it: features and targets centred, alpha by K-fold CV grouped by clip (a clip's
 * windows never straddle folds), chosen per reference voxel or shared (see {@link AlignmentAlpha}),
 * then refitted on all matched rows. Kernel form once a block's source voxels outnumber a fold's
 * training rows.
 *
 * Only training rows are an input: apply the map to the source's test responses with
 * `applyAlignment`. Memory: the maps hold Σ_blocks |source| × |reference| float32 (3,000 ×
 * 3,000 voxels: 36 MB).
 *
 * @param source, reference training window rows of the two subjects (any clip order; clips only one has are skipped)
 * @param blocks the blocks to map, each with voxels of both subjects (`roiBlocks`, `selectionBlock`)
 */
export async function fitRidgeAlignment(source: SubjectRows, reference: SubjectRows, blocks: readonly AlignmentBlock[], opts: RidgeAlignmentOptions = {}): Promise<RidgeAlignment> {
  if (blocks.length === 0) fail('BAD_INPUT', 'fitRidgeAlignment needs at least one block.');
  const match = matchClipRows(source.rows, reference.rows);
  const folds = opts.folds ?? RIDGE_DEFAULTS.folds;
  if (match.clipIds.length < folds) fail('BAD_INPUT', `${source.subject} and ${reference.subject} share ${match.clipIds.length} training clips, fewer than the ${folds} CV folds of the alignment; lower --folds or keep more training runs.`);
  const alphas = checkAlphas(opts.alphas ?? defaultAlphas());
  const mode = opts.alpha ?? 'voxel';
  if (mode !== 'voxel' && mode !== 'shared') fail('BAD_INPUT', `alignment alpha must be 'voxel' or 'shared', got '${String(mode)}'.`);
  const n = match.sourceRows.length;
  const sr = source.rows;
  const rr = reference.rows;
  const nS = sr.clipIds.length * sr.nWindows;
  const nR = rr.clipIds.length * rr.nWindows;
  const out: RidgeBlockMap[] = [];
  for (const [b, block] of blocks.entries()) {
    const sv = blockVoxels(block, source.subject);
    const rv = blockVoxels(block, reference.subject);
    const p = sv.length;
    const X = { rows: n, cols: p, data: gatherColumns(sr.data, nS, sr.nVoxels, sv, match.sourceRows) };
    const Y = { rows: n, cols: rv.length, data: gatherColumns(rr.data, nR, rr.nVoxels, rv, match.referenceRows) };
    // kernel form once the voxels outnumber a fold's training rows (as the decoders do)
    const solver = p * folds > n * (folds - 1) ? ('kernel' as const) : ('primal' as const);
    const cvOpts = { alphas, folds, groups: match.groups, score: 'r2' as const, solver };
    let fit: RidgeFit;
    if (mode === 'voxel') {
      fit = await fitRidgeCV(X, Y, cvOpts);
    } else {
      const cv = await ridgeCVScores(X, Y, cvOpts);
      const T = rv.length;
      let best = 0;
      let bestMean = -Infinity;
      for (let a = 0; a < alphas.length; a++) {
        let s = 0;
        for (let t = 0; t < T; t++) s += cv.cvScores[a * T + t];
        // ties to the larger alpha, as fitRidgeCV
        if (s / T >= bestMean) { bestMean = s / T; best = a; }
      }
      const bestAlphas = new Float64Array(T).fill(alphas[best]);
      const coefs = await fitRidge(X, Y, bestAlphas, { solver });
      fit = { ...cv, bestAlphas, coef: coefs.coef, xMean: coefs.xMean, yMean: coefs.yMean };
    }
    out.push({ label: block.label, name: block.name, sourceVoxels: sv, referenceVoxels: rv, fit, cvR2: meanChosen(fit) });
    opts.onProgress?.(b + 1, blocks.length);
  }
  return {
    method: 'ridge',
    subject: source.subject,
    reference: reference.subject,
    nVoxels: sr.nVoxels,
    clipIds: match.clipIds,
    rows: n,
    alpha: mode,
    blocks: out,
    nColumns: out.reduce((s, b) => s + b.referenceVoxels.length, 0),
  };
}
