import { fail } from '../errors.ts';
import { alignWindows, type AlignableResponses, type AlignedWindows, type ClampRecord, type ScanRange } from '../align/index.ts';
import { embeddingRows, type EmbeddingSet } from './embeddingRows.ts';
import { evaluateDecoding, genreFromClipId, type DecodingMetrics } from './evaluateDecoding.ts';
import { fitRoiEnsemble, type RoiEnsemble, type RoiScore } from './fitRoiEnsemble.ts';
import type { CvScoreMode } from './fitVoxelDecoder.ts';
import { leaveOneGenreOut, type LeaveOneGenreOutResult } from './leaveOneGenreOut.ts';
import { predictRoiEnsemble } from './predictRoiEnsemble.ts';
import { cortexRoi, roiList, type AtlasLike, type Roi } from './roiList.ts';

/** A subject's responses with its atlas (`SubjectResponses` from `src/bids` fits). */
export type DecodableResponses = AlignableResponses & { atlas: AtlasLike };

/** Options of {@link decodeSubject}. */
export interface DecodeSubjectOptions {
  /** Hemodynamic lag in TRs (default 3; 0 = the paper's literal alignment). */
  lagTr?: number;
  /** Scans per clip (default 10). */
  scansPerClip?: number;
  /** ROIs kept in the ensemble (default 6). */
  k?: number;
  /** CV folds (default 5), grouped by clip. */
  folds?: number;
  alphas?: ArrayLike<number>;
  /** ROI ranking score (default 'inner', see `CvScoreMode`). */
  cvScore?: CvScoreMode;
  /** ROIs smaller than this are not candidates (default 1). */
  minRoiVoxels?: number;
  /** Also fit a decoder on all labelled voxels (default false). */
  wholeCortex?: boolean;
  /** Also fit a decoder on these voxel indices (a "given mask"). */
  mask?: Int32Array;
  /** Also run leave-one-genre-out (costly: one ensemble fit per genre). */
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
  ensemble: RoiEnsemble;
  /** ROI-ensemble predictions, `clips × windows × dim` float32. */
  predictions: { test: Float32Array; train: Float32Array };
  /** The embeddings of the same clips in the same layout. */
  targets: { test: Float32Array; train: Float32Array };
  reports: { roiEnsemble: DecoderReport; wholeCortex?: DecoderReport & { nVoxels: number; cvScore: number }; mask?: DecoderReport & { nVoxels: number; cvScore: number } };
  leaveOneGenreOut?: LeaveOneGenreOutResult;
  /** Every ROI's rank and CV score. */
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

/**
 * Decodes one subject (domain.md §1.3-1.4): aligns training and test responses to the embedding
 * windows (lag, repeat averaging), fits one ridge per atlas ROI on the training clips (alpha per
 * dimension by CV folds grouped by clip), keeps the k ROIs with the best training-set CV
 * correlation, averages their predictions, and scores test and training predictions
 * (identification on windows and clips, r, N-way top-1, per genre). Optional comparison decoders:
 * whole cortex and a given voxel mask; optional leave-one-genre-out.
 */
export async function decodeSubject(resp: DecodableResponses, emb: EmbeddingSet, opts: DecodeSubjectOptions = {}): Promise<DecodeSubjectResult> {
  const lagTr = opts.lagTr ?? 3;
  const scansPerClip = opts.scansPerClip ?? 10;
  const genreOf = opts.genreOf ?? genreFromClipId;
  if (emb.windowStarts.length !== emb.nWindows) fail('MISMATCH', `embeddings list ${emb.windowStarts.length} window starts but hold ${emb.nWindows} windows per clip.`);
  if (resp.atlas.labels.length !== resp.nVoxels) fail('MISMATCH', `the atlas labels ${resp.atlas.labels.length} voxels but the responses have ${resp.nVoxels}; use the atlas made for this subject's data.`);
  const windows = emb.windowStarts.map((s) => ({ start: s, end: s + emb.windowSec }));
  const alignOpts = { lagTr, scansPerClip };
  const train = alignWindows(resp, 'training', windows, alignOpts);
  const test = alignWindows(resp, 'test', windows, alignOpts);
  const T = emb.dim;
  const Ytrain = embeddingRows(emb, train.clipIds);
  const Ytest = embeddingRows(emb, test.clipIds);
  const trainData = { X: train.data, nVoxels: resp.nVoxels, Y: Ytrain, nTargets: T, groups: train.groups };
  const ridge = { folds: opts.folds, alphas: opts.alphas };

  const rois = roiList(resp.atlas, { minVoxels: opts.minRoiVoxels });
  const ensemble = await fitRoiEnsemble(trainData, rois, {
    ...ridge,
    k: opts.k ?? 6,
    cvScore: opts.cvScore,
    onProgress: (d, t) => opts.onProgress?.('ROI decoders', d, t),
  });
  const main = await report(ensemble, train, test, Ytrain, Ytest, T, genreOf);
  const result: DecodeSubjectResult = {
    lagTr,
    scansPerClip,
    windowScans: train.windowScans,
    clamped: [...train.clamped, ...test.clamped],
    clipIds: { train: train.clipIds, test: test.clipIds },
    nWindows: emb.nWindows,
    dim: T,
    ensemble,
    predictions: { test: main.predTest, train: main.predTrain },
    targets: { test: Ytest, train: Ytrain },
    reports: { roiEnsemble: main.report },
    ranking: ensemble.ranking,
  };
  const single = async (roi: Roi, task: string) => {
    opts.onProgress?.(task, 0, 1);
    const model = await fitRoiEnsemble(trainData, [roi], { ...ridge, k: 1, cvScore: 'inner' });
    opts.onProgress?.(task, 1, 1);
    const r = await report(model, train, test, Ytrain, Ytest, T, genreOf);
    return { ...r.report, nVoxels: roi.voxels.length, cvScore: model.members[0].cvScore };
  };
  if (opts.wholeCortex) result.reports.wholeCortex = await single(cortexRoi(resp.atlas), 'whole-cortex decoder');
  if (opts.mask) {
    if (opts.mask.length === 0) fail('BAD_INPUT', 'the given voxel mask is empty.');
    result.reports.mask = await single({ label: -2, name: 'mask', voxels: opts.mask }, 'mask decoder');
  }
  if (opts.leaveOneGenreOut) {
    result.leaveOneGenreOut = await leaveOneGenreOut(trainData, train.clipIds, train.nWindows, rois, {
      ...ridge,
      k: opts.k ?? 6,
      cvScore: opts.cvScore,
      genreOf,
      onProgress: (d, t) => opts.onProgress?.('leave-one-genre-out', d, t),
    });
  }
  return result;
}
