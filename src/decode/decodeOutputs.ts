import { averageWindows, rowCorrelations } from '../evaluate/index.ts';
import type { DecodeSubjectResult, DecoderReport } from './decodeSubject.ts';
import type { DecodingMetrics } from './evaluateDecoding.ts';

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
}

function reportJson(r: DecoderReport) {
  const split = (m: DecodingMetrics) => ({
    identification: m.identification,
    r: m.r,
    nWayTop1: m.nWayTop1,
    perGenre: m.perGenre,
  });
  return { test: split(r.test), train: split(r.train) };
}

/**
 * Packs a {@link DecodeSubjectResult} into the decode folder's files (pure; the caller writes
 * them atomically). `metrics.json` carries the headline fields the report reads (unit = clips:
 * predictions averaged over a clip's windows) and every metric on windows and clips, each with
 * its chance level, the lag used and the alignment rule.
 */
export function decodeOutputs(res: DecodeSubjectResult, info: DecodeRunInfo, genreOf: (id: string) => string): DecodeOutputs {
  const nTest = res.clipIds.test.length;
  const W = res.nWindows;
  const T = res.dim;
  const emb = res.reports.roiEnsemble;
  const C = rowCorrelations(
    averageWindows(res.predictions.test, nTest, W, T),
    averageWindows(res.targets.test, nTest, W, T),
    nTest,
    T,
  );
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
    identificationTest: { value: emb.test.identification.clips.value, chance: 0.5 },
    identificationTrain: { value: emb.train.identification.clips.value, chance: 0.5 },
    nWayTop1: { value: emb.test.nWayTop1.value, chance: emb.test.nWayTop1.chance, n: emb.test.nWayTop1.n },
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
    trainNote: 'train metrics are in-sample (the decoder predicts the clips it was fitted on)',
    k: res.ensemble.k,
    cvScore: info.cvScore,
    decoders: {
      roiEnsemble: reportJson(emb),
      ...(res.reports.wholeCortex ? { wholeCortex: { nVoxels: res.reports.wholeCortex.nVoxels, cvR: res.reports.wholeCortex.cvScore, ...reportJson(res.reports.wholeCortex) } } : {}),
      ...(res.reports.mask ? { mask: { nVoxels: res.reports.mask.nVoxels, cvR: res.reports.mask.cvScore, ...reportJson(res.reports.mask) } } : {}),
    },
    ...(res.leaveOneGenreOut ? { leaveOneGenreOut: res.leaveOneGenreOut } : {}),
    clips: { train: res.clipIds.train.length, test: nTest, windowsPerClip: W, dim: T },
    ...(info.seconds !== undefined ? { seconds: info.seconds } : {}),
  };
  return {
    predictions: { data: res.predictions.test, shape: [nTest, W, T] },
    identification: { data: Float32Array.from(C), shape: [nTest, nTest] },
    predictionsJson: {
      subject: info.subject,
      split: 'test',
      model: info.target,
      clipIds: res.clipIds.test,
      genres,
      identification: 'identification.npy',
      windowStarts: info.windowStarts,
      windowSec: info.windowSec,
      dim: T,
      lagTr: res.lagTr,
    },
    roisJson: {
      subject: info.subject,
      k: res.ensemble.k,
      cvScore: info.cvScore,
      selected,
      ranking: res.ranking.map((r) => ({ rank: r.rank, name: r.name, index: r.label, nVoxels: r.nVoxels, cvR: r.cvScore })),
    },
    metricsJson,
  };
}

function median(x: ArrayLike<number>): number {
  const s = Array.from(x).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
