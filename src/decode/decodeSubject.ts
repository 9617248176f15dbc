import { ALIGN_DEFAULTS, DECODE_DEFAULTS, RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { alignWindows, type AlignableResponses, type AlignedWindows, type ClampRecord, type ScanRange } from '../align/index.ts';
import { rowsFor, type ClipWindows } from '../embed/index.ts';
import { genreOfClipId } from '../bids/index.ts';
import { groupKFold } from '../ridge/index.ts';
import { cvPredictions, type FoldMember } from './cvPredictions.ts';
import { evaluateDecoding, type DecodingMetrics } from './evaluateDecoding.ts';
import { fitRoiEnsemble, type RoiEnsemble, type RoiScore } from './fitRoiEnsemble.ts';
import type { CvScoreMode } from './fitVoxelDecoder.ts';
import { leaveOneGenreOut, type LeaveOneGenreOutResult } from './leaveOneGenreOut.ts';
import { predictRoiEnsemble } from './predictRoiEnsemble.ts';
import { cortexRoi, roiList, type AtlasLike, type Roi } from './roiList.ts';
import { checkDecoderChoice, formatDecoderChoice, parseDecoderChoice, type DecoderChoice } from './decoderChoice.ts';
import { defaultDecoder } from './defaultDecoder.ts';
import { fitSelectionDecoder, type VoxelSelectionRecord } from './fitSelectionDecoder.ts';

/**
 * A subject's responses with its atlas (`SubjectResponses` from `src/bids` fits). Without an atlas
 * (derivative arrays come with none) the labels are all 0 (`loadResponses(..., { atlas: 'optional' })`)
 * or empty.
 */
export type DecodableResponses = AlignableResponses & { atlas: AtlasLike };

/** Options of {@link decodeSubject}. */
export interface DecodeSubjectOptions {
  /** Hemodynamic lag in TRs (default 3; 0 = the paper's literal alignment). */
  lagTr?: number;
  /** Scans per clip (default 10). */
  scansPerClip?: number;
  /** ROIs kept in the ensemble (default 6; ROI ensemble only). */
  k?: number;
  /** CV folds (default 5), grouped by clip; for a voxel selection also its outer folds and the encoding models' folds. */
  folds?: number;
  /** Alpha grid of every ridge (default logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /** ROI ranking score (default 'inner', see `CvScoreMode`; ROI ensemble only: a voxel selection is scored by its nested outer folds). */
  cvScore?: CvScoreMode;
  /** ROIs smaller than this are not candidates (default 1; ROI ensemble only). */
  minRoiVoxels?: number;
  /** Also fit a decoder on all labelled voxels (default false; without atlas labels: on every voxel). */
  wholeCortex?: boolean;
  /** Also fit a decoder on these voxel indices (a "given mask"). */
  mask?: Int32Array;
  /**
   * The decoder: the ROI ensemble (`{ kind: 'roi-ensemble' }` / `'rois'`) or a voxel selection
   * learned on training data (`{ kind: 'encoding-top', n }` / `'encoding:3000'`,
   * `{ kind: 'encoding-r', threshold }` / `'encoding-r:0.05'`, `{ kind: 'all' }` / `'all'`; see
   * `fitSelectionDecoder`). Default: {@link defaultDecoder}, i.e. the ROI ensemble when the atlas
   * labels any voxel, else `encoding:3000`.
   */
  decoder?: DecoderChoice | string;
  /** Voxels per ridge call of the selection's encoding models (default: all at once within 2 GB). */
  voxelBatch?: number;
  /** Also run leave-one-genre-out (costly: one decoder fit per genre). */
  leaveOneGenreOut?: boolean;
  /** Genre of a clip (default: the part of the id before the first dot). */
  genreOf?: (clipId: string) => string;
  onProgress?: (task: string, done: number, total: number) => void;
}

/** Metrics of one decoder on the test and training sets. */
export interface DecoderReport {
  test: DecodingMetrics;
  /** In-sample: the decoder predicts the rows it was fitted on. */
  train: DecodingMetrics;
  /** Out-of-fold (the main decoder only): each training clip predicted by the decoder refitted without its fold (`cvPredictions`). */
  trainOutOfFold?: DecodingMetrics;
}

/** Which decoder {@link decodeSubject} fitted, and why. */
export interface DecoderUsed {
  method: DecoderChoice['kind'];
  /** String form: `rois`, `encoding:3000`, `encoding-r:0.05`, `all`. */
  label: string;
  /** Why this one: `asked for` or the default's reason (e.g. `no atlas: decoding with encoding:3000`). */
  reason: string;
  /** The voxel selection (absent for the ROI ensemble). */
  selection?: VoxelSelectionRecord;
}

/** Everything {@link decodeSubject} computes. */
export interface DecodeSubjectResult {
  lagTr: number;
  scansPerClip: number;
  windowScans: ScanRange[];
  clamped: ClampRecord[];
  clipIds: { train: string[]; test: string[] };
  nWindows: number;
  dim: number;
  /** The decoder fitted and why. */
  decoder: DecoderUsed;
  /**
   * The fitted model: the ROI ensemble, or for a voxel selection a one-member ensemble whose
   * "ROI" (label -3, named by the selection, e.g. `encoding:3000`) holds the selected voxels.
   */
  ensemble: RoiEnsemble;
  /** The decoder's predictions, `clips × windows × dim` float32; `trainOutOfFold`: the training clips' CV predictions. */
  predictions: { test: Float32Array; train: Float32Array; trainOutOfFold: Float32Array };
  /** The embeddings of the same clips in the same layout. */
  targets: { test: Float32Array; train: Float32Array };
  reports: {
    /** The decoder's report (ROI ensemble or voxel selection, see `decoder`). */
    main: DecoderReport;
    /** @deprecated the same object as `main`, under its old name (it is the voxel-selection decoder's report when `decoder.method` is not 'roi-ensemble'); read `main`. */
    roiEnsemble: DecoderReport;
    wholeCortex?: DecoderReport & { nVoxels: number; cvScore: number };
    mask?: DecoderReport & { nVoxels: number; cvScore: number };
  };
  leaveOneGenreOut?: LeaveOneGenreOutResult;
  /** Every ROI's rank and CV score (a voxel selection: its one entry). */
  ranking: RoiScore[];
}

async function report(
  model: RoiEnsemble,
  train: AlignedWindows,
  test: AlignedWindows,
  Ytrain: Float32Array,
  Ytest: Float32Array,
  dim: number,
  genreOf: (id: string) => string,
): Promise<{ report: DecoderReport; predTrain: Float32Array; predTest: Float32Array }> {
  const predTest = await predictRoiEnsemble(model, test.data);
  const predTrain = await predictRoiEnsemble(model, train.data);
  return {
    predTest,
    predTrain,
    report: {
      test: evaluateDecoding(predTest, Ytest, test.clipIds, test.nWindows, dim, genreOf),
      train: evaluateDecoding(predTrain, Ytrain, train.clipIds, train.nWindows, dim, genreOf),
    },
  };
}

/** The decoder asked for (or the default) and why; fails clearly when the ROI ensemble has no atlas to use. */
function resolveDecoder(asked: DecoderChoice | string | undefined, atlas: AtlasLike, nVoxels: number): { choice: DecoderChoice; reason: string } {
  const def = defaultDecoder(atlas, nVoxels);
  if (asked === undefined) return def;
  const choice = typeof asked === 'string' ? parseDecoderChoice(asked) : checkDecoderChoice(asked);
  if (choice.kind === 'roi-ensemble' && def.choice.kind !== 'roi-ensemble') {
    fail('BAD_INPUT', `the ROI ensemble needs atlas labels, but this subject's atlas labels no voxel (the derivative arrays come without one); decode with a voxel selection instead: encoding:3000 (the default), encoding-r:0.05 or all.`);
  }
  return { choice, reason: `${formatDecoderChoice(choice)} asked for` };
}

/**
 * Decodes one subject (docs/method.md §1.3-1.4): aligns training and test responses to the embedding
 * windows (lag, repeat averaging), fits the decoder on the training clips and scores test and
 * training predictions (identification on windows and clips, r, N-way top-1, per genre).
 *
 * The decoder (`opts.decoder`, default {@link defaultDecoder}): the paper's ROI ensemble (one
 * ridge per atlas ROI, alpha per dimension by CV folds grouped by clip, the k ROIs with the best
 * training-set CV correlation averaged), or, without an atlas, a ridge on voxels chosen by an
 * encoding model fitted on training clips only and nested in the CV (`fitSelectionDecoder`).
 * Optional comparison decoders: whole cortex and a given voxel mask; optional
 * leave-one-genre-out (the same decoder refitted without each genre).
 */
export async function decodeSubject(resp: DecodableResponses, emb: ClipWindows, opts: DecodeSubjectOptions = {}): Promise<DecodeSubjectResult> {
  const lagTr = opts.lagTr ?? ALIGN_DEFAULTS.lagTr;
  const scansPerClip = opts.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip;
  const genreOf = opts.genreOf ?? genreOfClipId;
  if (emb.windowStarts.length !== emb.nWindows) fail('MISMATCH', `embeddings list ${emb.windowStarts.length} window starts but hold ${emb.nWindows} windows per clip.`);
  const atlas = resp.atlas;
  if (atlas.labels.length !== 0 && atlas.labels.length !== resp.nVoxels) fail('MISMATCH', `the atlas labels ${atlas.labels.length} voxels but the responses have ${resp.nVoxels}; use the atlas made for this subject's data.`);
  const { choice, reason } = resolveDecoder(opts.decoder, atlas, resp.nVoxels);
  const windows = emb.windowStarts.map((s) => ({ start: s, end: s + emb.windowSec }));
  const alignOpts = { lagTr, scansPerClip };
  const train = alignWindows(resp, 'training', windows, alignOpts);
  const test = alignWindows(resp, 'test', windows, alignOpts);
  const T = emb.dim;
  const Ytrain = rowsFor(emb, train.clipIds, 'a training clip of the fMRI data');
  const Ytest = rowsFor(emb, test.clipIds, 'a test clip of the fMRI data');
  const trainData = { X: train.data, nVoxels: resp.nVoxels, Y: Ytrain, nTargets: T, groups: train.groups };
  const ridge = { folds: opts.folds, alphas: opts.alphas };

  const decoder: DecoderUsed = { method: choice.kind, label: formatDecoderChoice(choice), reason };
  let ensemble: RoiEnsemble;
  let fitDecoder: readonly Roi[] | ((sub: typeof trainData) => Promise<RoiEnsemble>);
  if (choice.kind === 'roi-ensemble') {
    const rois = roiList(atlas, { minVoxels: opts.minRoiVoxels });
    fitDecoder = rois;
    ensemble = await fitRoiEnsemble(trainData, rois, {
      ...ridge,
      k: opts.k ?? DECODE_DEFAULTS.topRois,
      cvScore: opts.cvScore,
      onProgress: (d, t) => opts.onProgress?.('ROI decoders', d, t),
    });
  } else {
    const selOpts = { ...ridge, voxelBatch: opts.voxelBatch };
    const fitted = await fitSelectionDecoder(trainData, choice, { ...selOpts, onProgress: (d, t) => opts.onProgress?.(`${decoder.label} decoder`, d, t) });
    ensemble = fitted.model;
    decoder.selection = fitted.selection;
    fitDecoder = async (sub) => (await fitSelectionDecoder(sub, choice, selOpts)).model;
  }
  const main = await report(ensemble, train, test, Ytrain, Ytest, T, genreOf);
  const folds = groupKFold(train.groups, opts.folds ?? RIDGE_DEFAULTS.folds);
  // a voxel selection chose its voxels again in each outer fold (the same group K-fold); the ROI ensemble's ROIs are fixed
  const selection = decoder.selection;
  const membersOf = selection
    ? (f: number): FoldMember[] => [{ voxels: selection.folds[f]!.voxels, alphas: ensemble.members[0]!.fit.bestAlphas }]
    : (): FoldMember[] => ensemble.members.map((m) => ({ voxels: m.roi.voxels, alphas: m.fit.bestAlphas }));
  opts.onProgress?.('out-of-fold training predictions', 0, 1);
  const predTrainOutOfFold = await cvPredictions(trainData, folds, membersOf);
  opts.onProgress?.('out-of-fold training predictions', 1, 1);
  main.report.trainOutOfFold = evaluateDecoding(predTrainOutOfFold, Ytrain, train.clipIds, train.nWindows, T, genreOf);
  const result: DecodeSubjectResult = {
    lagTr,
    scansPerClip,
    windowScans: train.windowScans,
    clamped: [...train.clamped, ...test.clamped],
    clipIds: { train: train.clipIds, test: test.clipIds },
    nWindows: emb.nWindows,
    dim: T,
    decoder,
    ensemble,
    predictions: { test: main.predTest, train: main.predTrain, trainOutOfFold: predTrainOutOfFold },
    targets: { test: Ytest, train: Ytrain },
    reports: { main: main.report, roiEnsemble: main.report },
    ranking: ensemble.ranking,
  };
  const single = async (roi: Roi, task: string) => {
    opts.onProgress?.(task, 0, 1);
    const model = await fitRoiEnsemble(trainData, [roi], { ...ridge, k: 1, cvScore: 'inner' });
    opts.onProgress?.(task, 1, 1);
    const r = await report(model, train, test, Ytrain, Ytest, T, genreOf);
    return { ...r.report, nVoxels: roi.voxels.length, cvScore: model.members[0].cvScore };
  };
  if (opts.wholeCortex) {
    const labelled = atlas.labels.some((l) => l !== 0);
    const roi = labelled ? cortexRoi(atlas) : { label: -1, name: 'all voxels', voxels: Int32Array.from({ length: resp.nVoxels }, (_, v) => v) };
    result.reports.wholeCortex = await single(roi, 'whole-cortex decoder');
  }
  if (opts.mask) {
    if (opts.mask.length === 0) fail('BAD_INPUT', 'the given voxel mask is empty.');
    result.reports.mask = await single({ label: -2, name: 'mask', voxels: opts.mask }, 'mask decoder');
  }
  if (opts.leaveOneGenreOut) {
    result.leaveOneGenreOut = await leaveOneGenreOut(trainData, train.clipIds, train.nWindows, fitDecoder, {
      ...ridge,
      k: opts.k ?? DECODE_DEFAULTS.topRois,
      cvScore: opts.cvScore,
      genreOf,
      onProgress: (d, t) => opts.onProgress?.('leave-one-genre-out', d, t),
    });
  }
  return result;
}
