import { fail } from '../errors.ts';
import { averageWindows, identificationWithUncertainty, nWayTop1WithUncertainty, rowCorrelations, type ScoreWithUncertainty } from '../evaluate/index.ts';
import type { AlignedTargetResult } from './decodeAligned.ts';
import type { DecodeSubjectResult, DecoderReport } from './decodeSubject.ts';
import type { DecodingMetrics } from './evaluateDecoding.ts';
import type { VoxelSelectionRecord } from './fitSelectionDecoder.ts';
import { rankVoxels } from './selectVoxels.ts';

/** Seed of the bootstrap intervals and pairing permutations of the headline scores (recorded beside them). */
const UNCERTAINTY_SEED = 0;

/** Voxels listed with their encoding CV r in `rois.json` of a voxel-selection decoder. */
export const TOP_VOXELS_LISTED = 100;

/** What identifies a decoding run in its output files. */
export interface DecodeRunInfo {
  subject: string;
  /** Embedding model decoded (the embeddings' `model`). */
  target: string;
  tr: number;
  windowStarts: readonly number[];
  windowSec: number;
  cvScore: string;
  seconds?: number;
  /** Training runs the subject's decoders used, of the runs it has (`--train-runs`); absent: all. */
  trainRuns?: { kept: number; of: number };
}

/** The files of `RUN/subjects/<sub>/decode/` as values, ready to write. */
export interface DecodeOutputs {
  /** `predictions.npy`: test clips × windows × dim float32. */
  predictions: { data: Float32Array; shape: [number, number, number] };
  /** `identification.npy`: test clips × clips, Pearson r between predicted (rows) and true (columns) clip embeddings. */
  identification: { data: Float32Array; shape: [number, number] };
  predictionsJson: Record<string, unknown>;
  roisJson: Record<string, unknown>;
  metricsJson: Record<string, unknown>;
  /**
   * More arrays for the decode folder, each written as `<name>` (.npy) by the caller: for a
   * voxel-selection decoder `selected_voxels.npy` (int32, the final voxel indices, ascending) and,
   * with an encoding model, `voxel_encoding_r.npy` (float32, length V, every voxel's encoding CV r
   * on the training clips). Empty for the ROI ensemble. rois.json names them under `files`.
   * With a pooled (aligned) decoder also `predictions_aligned.npy` and `identification_aligned.npy`,
   * laid out as predictions.npy and identification.npy.
   */
  arrays: { name: string; data: Float32Array | Int32Array; shape: number[] }[];
}

/** The `decoder` block of metrics.json: which decoder, why, and (voxel selection) what it kept. */
function decoderJson(res: DecodeSubjectResult): Record<string, unknown> {
  const d = res.decoder;
  const out: Record<string, unknown> = { method: d.method, label: d.label, reason: d.reason };
  const sel = d.selection;
  if (!sel) return out;
  return {
    ...out,
    ...selectionSummary(sel),
    perFold: foldsJson(sel),
    cvScore: 'mean over the outer folds of the validation Pearson r at each dimension\'s chosen alpha, the voxels selected again in each fold from its training clips only',
    ...(sel.encoding ? {
      encoding: {
        ...sel.encoding,
        model: 'ridge from the target embedding\'s window rows (z-scored) to each voxel, alpha per voxel by CV grouped by clip',
        score: 'encoding CV r: mean over folds of the held-out Pearson r at the voxel\'s chosen alpha',
      },
    } : {}),
  };
}

/** Per outer fold: counts only (the fold's voxel list stays out of the JSON). */
function foldsJson(sel: VoxelSelectionRecord) {
  return sel.folds.map(({ voxels: _voxels, ...counts }) => counts);
}

function selectionSummary(sel: VoxelSelectionRecord) {
  return {
    nSelected: sel.voxels.length,
    nVoxels: sel.nVoxels,
    n: sel.parameters.n ?? null,
    threshold: sel.parameters.threshold ?? null,
    notes: sel.notes,
  };
}

/** The best-scored selected voxels, best first (none without an encoding model). */
function topVoxels(sel: VoxelSelectionRecord): { rank: number; voxel: number; cvR: number }[] {
  const r = sel.encodingR;
  if (!r) return [];
  const sub = Float32Array.from(sel.voxels, (v) => r[v]);
  return Array.from(rankVoxels(sub).slice(0, TOP_VOXELS_LISTED), (i, k) => ({ rank: k + 1, voxel: sel.voxels[i], cvR: sub[i] }));
}

function reportJson(r: DecoderReport) {
  const split = (m: DecodingMetrics) => ({
    identification: m.identification,
    r: m.r,
    nWayTop1: m.nWayTop1,
    perGenre: m.perGenre,
  });
  return { test: split(r.test), train: split(r.train), ...(r.trainOutOfFold ? { trainOutOfFold: split(r.trainOutOfFold) } : {}) };
}

/**
 * Packs a {@link DecodeSubjectResult} into the decode folder's files (pure; the caller writes
 * them atomically). `metrics.json` carries the headline fields the report reads (unit = clips:
 * predictions averaged over a clip's windows) and every metric on windows and clips, each with
 * its chance level, the lag used and the alignment rule, and under `decoder` which decoder was
 * fitted and why (a voxel selection: its parameters, voxel counts overall and per outer fold).
 * `rois.json` lists the chosen ROIs (ROI ensemble, format unchanged) or, for a voxel selection,
 * its method, counts, threshold and top voxels with their encoding CV r (plus the one-member
 * `selected` list, so readers of the ROI format still find the decoder).
 */
export function decodeOutputs(res: DecodeSubjectResult, info: DecodeRunInfo, genreOf: (id: string) => string, aligned?: AlignedTargetResult): DecodeOutputs {
  const nTest = res.clipIds.test.length;
  const W = res.nWindows;
  const T = res.dim;
  const emb = res.reports.main;
  const sel = res.decoder.selection;
  const { C, identificationTest, nWayTop1 } = headlineScores(res.predictions.test, res.targets.test, nTest, W, T);
  if (aligned && (aligned.subject !== info.subject || aligned.clipIds.test.join() !== res.clipIds.test.join())) {
    fail('INTERNAL', `the pooled decoder's result for ${aligned.subject} does not match ${info.subject}'s test clips.`);
  }
  const alignedScores = aligned ? headlineScores(aligned.predictions.test, aligned.targets.test, nTest, W, T) : null;
  const genres = res.clipIds.test.map(genreOf);
  const selected = res.ensemble.members.map((m, i) => ({
    rank: i + 1,
    name: m.roi.name,
    index: m.roi.label,
    nVoxels: m.roi.voxels.length,
    cvR: m.cvScore,
    medianAlpha: median(m.fit.bestAlphas),
  }));
  const metricsJson: Record<string, unknown> = {
    subject: info.subject,
    target: info.target,
    unit: 'clips',
    lagTr: res.lagTr,
    lagSec: res.lagTr * info.tr,
    identificationTest,
    identificationTrain: { value: emb.train.identification.clips.value, chance: 0.5, unit: 'clips', split: 'train-in-sample' },
    identificationTrainOutOfFold: trainOutOfFoldScore(res),
    nWayTop1,
    meanR: emb.test.r.value,
    perGenre: Object.fromEntries(emb.test.perGenre.map((g) => [g.genre, g.identification])),
    alignment: {
      lagTr: res.lagTr,
      scansPerClip: res.scansPerClip,
      rule: 'scan k covers [k·TR, (k+1)·TR) after the lag; a window [s, s+w) averages the scans whose onset k·TR lies in it; test repetitions averaged first',
      windowStarts: info.windowStarts,
      windowSec: info.windowSec,
      windowScans: res.windowScans,
      clampedPresentations: res.clamped.length,
    },
    trainNote: "identificationTrain is in-sample (the decoder predicts the clips it was fitted on); identificationTrainOutOfFold is the comparable training number: each training clip predicted by the decoder refitted without its CV fold, at the ROIs and alphas chosen on all training clips (slightly optimistic: those choices saw the held-out clips' CV scores)",
    trainRuns: info.trainRuns ?? null,
    ...(aligned ? { aligned: alignedJson(aligned, alignedScores!) } : {}),
    decoder: decoderJson(res),
    ...(sel ? {} : { k: res.ensemble.k }),
    cvScore: sel ? 'selection-nested' : info.cvScore,
    decoders: {
      [sel ? 'voxelSelection' : 'roiEnsemble']: reportJson(emb),
      ...(res.reports.wholeCortex ? { wholeCortex: { nVoxels: res.reports.wholeCortex.nVoxels, cvR: res.reports.wholeCortex.cvScore, ...reportJson(res.reports.wholeCortex) } } : {}),
      ...(res.reports.mask ? { mask: { nVoxels: res.reports.mask.nVoxels, cvR: res.reports.mask.cvScore, ...reportJson(res.reports.mask) } } : {}),
      ...(aligned ? { aligned: { method: aligned.method, ...reportJson(aligned.report) } } : {}),
    },
    ...(res.leaveOneGenreOut ? { leaveOneGenreOut: res.leaveOneGenreOut } : {}),
    clips: { train: res.clipIds.train.length, test: nTest, windowsPerClip: W, dim: T },
    ...(info.seconds !== undefined ? { seconds: info.seconds } : {}),
  };
  return {
    predictions: { data: res.predictions.test, shape: [nTest, W, T] },
    identification: { data: C, shape: [nTest, nTest] },
    predictionsJson: {
      subject: info.subject,
      split: 'test',
      model: info.target,
      clipIds: res.clipIds.test,
      genres,
      identification: 'identification.npy',
      trainOutOfFold: { file: 'predictions_train_oof.npy', split: 'train-oof', clipIds: res.clipIds.train },
      windowStarts: info.windowStarts,
      windowSec: info.windowSec,
      dim: T,
      lagTr: res.lagTr,
    },
    roisJson: sel
      ? {
        subject: info.subject,
        method: sel.method,
        label: sel.label,
        ...selectionSummary(sel),
        cvScore: 'selection-nested',
        selected,
        topVoxels: topVoxels(sel),
        perFold: foldsJson(sel),
        files: { voxels: 'selected_voxels.npy', ...(sel.encodingR ? { encodingR: 'voxel_encoding_r.npy' } : {}) },
      }
      : {
        subject: info.subject,
        k: res.ensemble.k,
        cvScore: info.cvScore,
        selected,
        ranking: res.ranking.map((r) => ({ rank: r.rank, name: r.name, index: r.label, nVoxels: r.nVoxels, cvR: r.cvScore })),
      },
    metricsJson,
    arrays: [
      { name: 'predictions_train_oof.npy', data: res.predictions.trainOutOfFold, shape: [res.clipIds.train.length, W, T] },
      ...(sel
        ? [
          { name: 'selected_voxels.npy', data: sel.voxels, shape: [sel.voxels.length] },
          ...(sel.encodingR ? [{ name: 'voxel_encoding_r.npy', data: sel.encodingR, shape: [sel.nVoxels] }] : []),
        ]
        : []),
      ...(aligned
        ? [
          { name: 'predictions_aligned.npy', data: aligned.predictions.test, shape: [nTest, W, T] },
          { name: 'identification_aligned.npy', data: alignedScores!.C, shape: [nTest, nTest] },
        ]
        : []),
    ],
  };
}

/**
 * A decoder's test headline on clip-averaged predictions: the clips × clips Pearson r between
 * predictions (rows) and true clip embeddings (columns), and identification and N-way top-1 with
 * a 95% bootstrap interval over test clips and p against chance (seed recorded).
 */
function headlineScores(pred: Float32Array, target: Float32Array, nClips: number, W: number, T: number): { C: Float32Array; identificationTest: ScoreWithUncertainty; nWayTop1: ScoreWithUncertainty & { n: number } } {
  const clipPredictions = averageWindows(pred, nClips, W, T);
  const clipTargets = averageWindows(target, nClips, W, T);
  const uncertainty = { unit: 'clips', split: 'test', seed: UNCERTAINTY_SEED } as const;
  return {
    C: Float32Array.from(rowCorrelations(clipPredictions, clipTargets, nClips, T)),
    identificationTest: identificationWithUncertainty(clipPredictions, clipTargets, nClips, T, uncertainty),
    nWayTop1: { ...nWayTop1WithUncertainty(clipPredictions, clipTargets, nClips, T, uncertainty), n: nClips },
  };
}

/** Out-of-fold training identification on clip-averaged CV predictions, with its interval over training clips and p. */
function trainOutOfFoldScore(res: DecodeSubjectResult): ScoreWithUncertainty {
  const n = res.clipIds.train.length;
  const W = res.nWindows;
  const T = res.dim;
  return identificationWithUncertainty(
    averageWindows(res.predictions.trainOutOfFold, n, W, T), averageWindows(res.targets.train, n, W, T), n, T,
    { unit: 'clips', split: 'train-oof', seed: UNCERTAINTY_SEED },
  );
}

/** The `aligned` block of metrics.json: the pooled decoder's headline beside the subject's own, what it was trained on, and how each subject was aligned. */
function alignedJson(a: AlignedTargetResult, scores: ReturnType<typeof headlineScores>): Record<string, unknown> {
  const t = a.report.test;
  return {
    method: a.method,
    reference: a.method === 'ridge' ? a.reference : null,
    excludeTarget: a.excludeTarget,
    blocks: a.blocks,
    nBlocks: a.nBlocks,
    nColumns: a.nColumns,
    trainingSubjects: a.trainingSubjects,
    trainingRows: a.trainingRows,
    trainingClips: a.trainingClips,
    identificationTest: scores.identificationTest,
    identificationTrain: { value: a.report.train.identification.clips.value, chance: 0.5, unit: 'clips', split: 'train-in-sample' },
    nWayTop1: scores.nWayTop1,
    meanR: t.r.value,
    perGenre: Object.fromEntries(t.perGenre.map((g) => [g.genre, g.identification])),
    subjects: a.subjects,
    ...(a.objective ? { srmObjective: a.objective } : {}),
    selected: a.ensemble.members.map((m, i) => ({ rank: i + 1, name: m.roi.name, nColumns: m.roi.voxels.length, cvR: m.cvScore, medianAlpha: median(m.fit.bestAlphas) })),
    note: a.excludeTarget
      ? 'one decoder trained on the aligned training rows of the other subjects; this subject\'s training clips only served to align it; scored on its own test clips mapped into the common space'
      : 'one decoder trained on the aligned training rows of every subject (this one included); scored on this subject\'s own test clips mapped into the common space; train metrics in-sample',
  };
}

function median(x: ArrayLike<number>): number {
  const s = Array.from(x).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
