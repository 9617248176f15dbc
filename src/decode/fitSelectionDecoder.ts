import { RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { checkAlphas, chooseAlphas, defaultAlphas, fitRidge, groupKFold, ridgeCVScores, type RidgeFit } from '../ridge/index.ts';
import { checkDecoderChoice, formatDecoderChoice, type VoxelSelection } from './decoderChoice.ts';
import { encodingCvScores } from './encodingCvScores.ts';
import type { DecoderTrainingData, RoiEnsemble } from './fitRoiEnsemble.ts';
import { selectVoxels } from './selectVoxels.ts';
import { fitStandardizer, selectStandardized } from './standardizer.ts';

/** The label of the one-member "ROI" a voxel-selection decoder is packaged as. */
export const SELECTION_ROI_LABEL = -3;

/** Options of {@link fitSelectionDecoder}. */
export interface SelectionDecoderOptions {
  /** Alphas tried per embedding dimension by the decoder and per voxel by the encoding model (default logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /** Outer folds of the decoder's CV, and folds of each encoding model's CV (default 5); folds never split a clip. */
  folds?: number;
  /** Voxels per ridge call of the encoding models (see `encodingCvScores`). */
  voxelBatch?: number;
  /** Progress in fits done / total (encoding models and decoders). */
  onProgress?: (done: number, total: number) => void;
}

/** One outer fold of the decoder's CV. */
export interface SelectionFold {
  /** 1-based fold number. */
  fold: number;
  trainClips: number;
  validationClips: number;
  /** Voxels selected from this fold's training clips. */
  nSelected: number;
  /** Those voxels, ascending. */
  voxels: Int32Array;
  /** Fraction of them the final selection (all training clips) also holds. */
  overlapWithFinal: number;
}

/** What a voxel-selection decoder used, for the record (metrics.json, rois.json). */
export interface VoxelSelectionRecord {
  method: VoxelSelection['kind'];
  /** String form, e.g. `encoding:3000`. */
  label: string;
  parameters: { n?: number; threshold?: number };
  /** Voxels of the responses (V). */
  nVoxels: number;
  /** The final decoder's voxels (selected on all training clips), ascending. */
  voxels: Int32Array;
  /** Encoding CV r of every voxel (length V) on all training clips; null for `all` (no encoding model). */
  encodingR: Float32Array | null;
  /** Each voxel's chosen encoding alpha (length V); null for `all`. */
  encodingAlpha: Float32Array | null;
  /** The outer folds where the decoder's alphas were chosen, each with its own selection. */
  folds: SelectionFold[];
  /** Adjustments, e.g. a count clamped to V. */
  notes: string[];
  /** The encoding model's CV on all training clips; null for `all`. */
  encoding: { rows: number; clips: number; folds: number } | null;
}

/** A voxel-selection decoder: the fitted model (packaged as a one-member {@link RoiEnsemble}) and its record. */
export interface SelectionDecoderFit {
  model: RoiEnsemble;
  selection: VoxelSelectionRecord;
}

/**
 * Fits a ridge decoder on voxels selected by an encoding model, with the selection nested inside
 * the cross-validation so that no held-out row ever influences which voxels are used:
 *
 * 1. The training clips are split into K outer folds grouped by clip (the ridge's group K-fold).
 * 2. For each outer fold f, using its training part only: an encoding model (ridge from the
 *    target embedding to every voxel, alpha per voxel by an inner K-fold CV over those clips,
 *    see `encodingCvScores`) scores the voxels, the selection keeps its voxels, the voxels are
 *    standardised with that part's statistics, and a ridge decoder is fitted there for every
 *    alpha and scored on fold f's validation clips (Pearson r per embedding dimension).
 * 3. Each embedding dimension's alpha is the one with the best mean validation r over the K
 *    folds (ties to the larger alpha, as `fitRidgeCV`); that mean is its CV r.
 * 4. The final decoder: the selection recomputed on all training clips (a fresh encoding model),
 *    the voxels standardised with all training rows' statistics, and the ridge refitted on all
 *    training rows with the alphas of step 3 (`fitRidge`).
 *
 * Test clips are not an input at all. With `all` there is no encoding model (every voxel, every
 * fold); the standardisation is still per fold. Costs K + 1 encoding models (each one
 * eigendecomposition per inner fold of the embedding's Gram matrix, voxels in batches) and
 * K + 1 decoder fits; the decoder's CV score is the mean over dimensions of step 3's CV r.
 *
 * @param train aligned training rows: responses `n × V`, embeddings `n × T`, clip index per row
 * @throws BAD_INPUT when `encoding-r` selects no voxel in a fold or in the final fit (see `selectVoxels`)
 */
export async function fitSelectionDecoder(train: DecoderTrainingData, selection: VoxelSelection, opts: SelectionDecoderOptions = {}): Promise<SelectionDecoderFit> {
  const sel = checkDecoderChoice(selection);
  if (sel.kind === 'roi-ensemble') return fail('INTERNAL', 'fitSelectionDecoder needs a voxel selection, not the ROI ensemble.');
  const { X, Y, groups, nVoxels: V, nTargets: T } = train;
  const n = groups.length;
  if (X.length !== n * V || Y.length !== n * T) fail('MISMATCH', `training data: ${n} rows, but X has ${X.length} values (V=${V}) and Y ${Y.length} (T=${T}).`);
  const K = opts.folds ?? RIDGE_DEFAULTS.folds;
  const alphas = checkAlphas(opts.alphas ?? defaultAlphas());
  const nA = alphas.length;
  const label = formatDecoderChoice(sel);
  const encode = sel.kind !== 'all';
  const encOpts = { folds: K, alphas, voxelBatch: opts.voxelBatch };
  const outer = groupKFold(groups, K);
  const total = (encode ? K + 1 : 0) + K + 1;
  let done = 0;
  const step = () => opts.onProgress?.(++done, total);
  opts.onProgress?.(0, total);

  const sum = new Float64Array(nA * T);
  const folds: Omit<SelectionFold, 'overlapWithFinal'>[] = [];
  for (const [f, fold] of outer.entries()) {
    const trainClips = new Set(Array.from(fold.train, (i) => groups[i])).size;
    let voxels: Int32Array;
    if (encode) {
      const enc = await encodingCvScores(train, { ...encOpts, rows: fold.train });
      step();
      voxels = selectVoxels(sel, enc.r, V, `outer fold ${f + 1} of ${K} (its ${trainClips} training clips)`).voxels;
    } else {
      voxels = selectVoxels(sel, null, V, '').voxels;
    }
    const q = voxels.length;
    const Z = selectStandardized(X, n, V, voxels, fitStandardizer(X, n, V, fold.train));
    const cv = await ridgeCVScores({ rows: n, cols: q, data: Z }, { rows: n, cols: T, data: Y }, {
      alphas, folds: [fold], score: 'r',
    });
    step();
    for (let i = 0; i < nA * T; i++) sum[i] += cv.cvScores[i];
    folds.push({ fold: f + 1, trainClips, validationClips: new Set(Array.from(fold.test, (i) => groups[i])).size, nSelected: q, voxels });
  }
  const cvScores = sum.map((s) => s / K);
  const { bestAlphas, bestCvScores: cvR } = chooseAlphas(cvScores, alphas, T);

  const enc = encode ? await encodingCvScores(train, encOpts) : null;
  if (enc) step();
  const final = selectVoxels(sel, enc ? enc.r : null, V, 'the training clips');
  const q = final.voxels.length;
  const standardizer = fitStandardizer(X, n, V);
  const Z = selectStandardized(X, n, V, final.voxels, standardizer);
  const coefs = await fitRidge({ rows: n, cols: q, data: Z }, { rows: n, cols: T, data: Y }, bestAlphas);
  step();
  const fit: RidgeFit = { alphas, bestAlphas, bestCvScores: cvR, cvScores, ...coefs, nFeatures: q, nTargets: T, score: 'r', nFolds: K };
  const cvScore = cvR.reduce((s, r) => s + r, 0) / T;
  const roi = { label: SELECTION_ROI_LABEL, name: label, voxels: final.voxels };
  const inFinal = new Uint8Array(V);
  for (const v of final.voxels) inFinal[v] = 1;
  return {
    model: {
      k: 1, nVoxels: V, nTargets: T, standardizer,
      ranking: [{ label: roi.label, name: label, nVoxels: q, cvScore, rank: 1 }],
      members: [{ roi, cvScore, cvR, fit }],
    },
    selection: {
      method: sel.kind,
      label,
      parameters: sel.kind === 'encoding-top' ? { n: sel.n } : sel.kind === 'encoding-r' ? { threshold: sel.threshold } : {},
      nVoxels: V,
      voxels: final.voxels,
      encodingR: enc ? enc.r : null,
      encodingAlpha: enc ? enc.bestAlpha : null,
      folds: folds.map((fd) => {
        let k = 0;
        for (const v of fd.voxels) k += inFinal[v];
        return { ...fd, overlapWithFinal: k / fd.voxels.length };
      }),
      notes: final.notes,
      encoding: enc ? { rows: enc.nRows, clips: enc.nClips, folds: enc.nFolds } : null,
    },
  };
}
