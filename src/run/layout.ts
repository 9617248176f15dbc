import { join } from 'node:path';

/**
 * Where everything lives inside a run folder, as run-relative paths with '/'
 * separators, plus the shapes of the JSON files the stages write. Stages write these; the report
 * and `serve` read them. Every path helper here is pure.
 *
 * ```
 * RUN/run.json                                   manifest (see manifest.ts)
 * RUN/dataset/                                   the simulated dataset (simulate stage only)
 * RUN/embeddings/<model>.npy|.json               clips × windows × dim, + clip ids, window starts
 * RUN/subjects/<sub>/decode/                     predictions.npy|.json, identification.npy, rois.json, metrics.json
 *                                                (+ predictions_aligned.npy, identification_aligned.npy with decode --align)
 * RUN/subjects/<sub>/encode/                     <space>_r|_q|_sig.nii.gz, summary.json (encode's EncodingSummary),
 *                                                background.nii.gz (the image the maps are drawn on)
 * RUN/library/                                   library embeddings and index
 * RUN/retrieval/<sub>.json                       retrieved clips per test clip, with the oracle
 * RUN/generated/<sub>/<clip>_<k>.wav             generated sample k per test clip (+ .json), metrics.json
 * RUN/metrics.json                               the summary table (SummaryMetrics)
 * RUN/listening/trials-<kind>.json               a listening test's trials (ListeningSession)
 * RUN/listening/<listener>.jsonl                 one listener's answers, a ListeningAnswer per line
 * RUN/listening/page/                            the listening page (index.html, listen.js, listen.css, audio/)
 * RUN/report/index.html                          the report
 * RUN/shards/<stage>/…                           what shard units wrote for their merge (config "shards")
 * ```
 */
export const runLayout = {
  manifest: 'run.json',
  dataset: 'dataset',
  embeddings: 'embeddings',
  embedding: (model: string) => ({ npy: `embeddings/${model}.npy`, json: `embeddings/${model}.json` }),
  subjects: 'subjects',
  decodeDir: (sub: string) => `subjects/${sub}/decode`,
  encodeDir: (sub: string) => `subjects/${sub}/encode`,
  encodeMap: (sub: string, space: string, kind: 'r' | 'q' | 'sig') => `subjects/${sub}/encode/${space}_${kind}.nii.gz`,
  library: 'library',
  /** With a shared library (`library.db`): which library the run used, its model and size. */
  librarySource: 'library-source.json',
  retrieval: 'retrieval',
  retrievalFile: (sub: string) => `retrieval/${sub}.json`,
  generated: 'generated',
  generatedClip: (sub: string, clipId: string, k = 0) => `generated/${sub}/${clipId}_${k}.wav`,
  metrics: 'metrics.json',
  report: 'report',
  listening: 'listening',
  listeningPage: 'listening/page',
  listeningTrials: (kind: ListeningKind) => `listening/trials-${kind}.json`,
  listeningAnswers: (listener: string) => `listening/${listener}.jsonl`,
  listeningScore: 'listening/score.json',
  /** Shard k of n of a model's embeddings (config `shards.embed`). */
  embeddingShard: (model: string, k: number, n: number) => ({ npy: `shards/embed/${model}/${k}-of-${n}.npy`, json: `shards/embed/${model}/${k}-of-${n}.json` }),
  /** Shard k of n of the library's tracks, embedded (config `shards.library`). */
  libraryShard: (k: number, n: number) => ({ npy: `shards/library/${k}-of-${n}.npy`, json: `shards/library/${k}-of-${n}.json` }),
  /** Block k of n of a subject's voxels, fitted (config `shards.encode`). */
  encodeShard: (sub: string, k: number, n: number) => `shards/encode/${sub}/${k}-of-${n}`,
} as const;

/** Absolute path of a run-relative path. */
export function runPath(runDir: string, rel: string): string {
  return join(runDir, ...rel.split('/'));
}

/** A metric with the value a random guess would get. */
export interface ScoreWithChance {
  value: number;
  chance: number;
  /** The same metric with the true embedding instead of the predicted one, where defined. */
  oracle?: number;
  /** 95% bootstrap interval over test clips (seeded: `seed`, `nBoot` resamples), where computed. */
  ci95?: [number, number];
  /** p against chance from random prediction–target pairings (`nPerm` of them, `exact` when all were enumerated), or from the null `pNull` names. */
  p?: number;
  /** The null of `p` when it is not the random pairing (retrieval genre agreement: random library tracks). */
  pNull?: string;
  nBoot?: number;
  nPerm?: number;
  exact?: boolean;
  seed?: number;
  /** What was scored: 'clips' or 'windows', and which split ('test', 'train-in-sample', …). */
  unit?: 'clips' | 'windows';
  split?: string;
}

/** `subjects/<sub>/decode/metrics.json`. */
export interface DecodeMetrics {
  subject: string;
  /** Embedding model decoded. */
  target: string;
  /** Items compared in identification: clips (windows averaged) or windows. */
  unit: 'clips' | 'windows';
  lagTr: number;
  identificationTest: ScoreWithChance;
  /** In-sample: the decoder scored on the clips it was fitted on (not comparable with the test score). */
  identificationTrain: ScoreWithChance;
  /** Out-of-fold training identification (split 'train-oof'), the training number comparable with the test score; absent in runs made before it existed. */
  identificationTrainOutOfFold?: ScoreWithChance;
  /** N-way top-1 among the N test clips (chance 1/N). */
  nWayTop1: ScoreWithChance & { n: number };
  /** Mean over embedding dimensions of Pearson r between predicted and true, test set. */
  meanR: number;
  /** Identification accuracy (test) per genre. */
  perGenre: Record<string, number>;
  /** Which decoder, and why (the ROI ensemble, or a voxel selection when the subject has no atlas). */
  decoder?: { method: 'roi-ensemble' | 'encoding-top' | 'encoding-r' | 'all'; label: string; reason: string; nSelected?: number; nVoxels?: number };
  /** Training runs this subject's decoders used (`decode --train-runs K`); null or absent: all. */
  trainRuns?: { kept: number; of: number } | null;
  /** The pooled cross-subject decoder (`decode --align`) scored on this subject's own test clips, beside the within-subject numbers above. */
  aligned?: AlignedDecodeMetrics;
}

/** What a pooled (cross-subject) decoder was trained on. */
export interface AlignedDecoderInfo {
  method: 'ridge' | 'srm';
  /** True when the decoder was trained without the subject it is scored on (the "new subject" case). */
  excludeTarget: boolean;
  /** Aligned region by region ('rois') or on each subject's own selected voxels ('selection'). */
  blocks: 'rois' | 'selection';
  nBlocks: number;
  /** Columns of the common space. */
  nColumns: number;
  /** Subjects whose aligned training rows trained the decoder. */
  trainingSubjects: string[];
  /** Rows and clips of the pooled training set. */
  trainingRows: number;
  trainingClips: number;
}

/** The `aligned` block of `subjects/<sub>/decode/metrics.json`. */
export interface AlignedDecodeMetrics extends AlignedDecoderInfo {
  /** The ridge reference subject (null for SRM: the shared space has none). */
  reference: string | null;
  identificationTest: ScoreWithChance;
  identificationTrain: ScoreWithChance;
  nWayTop1: ScoreWithChance & { n: number };
  meanR: number;
  perGenre: Record<string, number>;
  /** How each subject entered the common space: clips its map was learnt on, ridge CV R², whether it trained the decoder. */
  subjects: { subject: string; method: 'identity' | 'ridge' | 'srm'; clips: number; trainingRuns: number; cvR2?: number; inDecoder: boolean }[];
}

/** `subjects/<sub>/decode/rois.json`: the ROIs (or, for a voxel selection, the voxels) chosen on training data. */
export interface DecodeRois {
  selected: { name: string; index: number; nVoxels: number; cvR: number }[];
  /** Voxel selection only: the method and its best voxels (column index in the responses) with their encoding CV r. */
  method?: string;
  nSelected?: number;
  topVoxels?: { rank: number; voxel: number; cvR: number }[];
  perFold?: { fold: number; nSelected: number }[];
}

/** `subjects/<sub>/decode/predictions.json` next to predictions.npy and identification.npy. */
export interface DecodePredictionsInfo {
  /** Test clip ids: rows of predictions.npy and of the identification matrix. */
  clipIds: string[];
  genres: string[];
  /** identification.npy[i][j] = Pearson r between prediction i and true embedding j. */
  identification: 'identification.npy';
}

/** `retrieval/<sub>.json`. */
export interface RetrievalResult {
  subject: string;
  librarySize: number;
  items: {
    clipId: string;
    genre: string;
    retrieved: { id: string; genre: string; score: number; audio: string }[];
    /** Top-1 with the clip's true embedding. */
    oracle: { id: string; genre: string }[];
  }[];
  /** Genre of the top retrieved clip equals the clip's genre. */
  genreAgreement: ScoreWithChance;
  identification?: ScoreWithChance;
  /** The scoring used ('none': plain cosine; 'center', 'csls': hubness reduced). */
  hubness?: string;
  /** How the library was searched: 'exact' (every track scored, streamed through the table) or 'ann' (its IVF_PQ index, re-ranked). */
  search?: 'exact' | 'ann';
  /** How concentrated the top-1 tracks are (distinct tracks, the largest hub's share; degenerate when one track is the top of > 25% of the clips). */
  concentration?: { predicted: RetrievalConcentrationRecord; oracle: RetrievalConcentrationRecord };
}

/** See `RetrievalResult.concentration`. */
export interface RetrievalConcentrationRecord {
  n: number;
  distinct: number;
  largestHub: { id: string; count: number; share: number };
  degenerate: boolean;
}

/** `RUN/metrics.json`: one row per subject with everything the demo prints. */
export interface SummaryMetrics {
  subjects: Record<
    string,
    {
      decode?: DecodeMetrics;
      retrieval?: { genreAgreement: ScoreWithChance; identification?: ScoreWithChance; concentration?: RetrievalConcentrationRecord };
      generation?: { genreAgreement?: ScoreWithChance; identification?: ScoreWithChance; identificationSecondSpace?: ScoreWithChance & { space: string }; classAgreement?: ClassAgreementRecord };
      encode?: Record<string, { nSignificant: number; meanR: number; maxR: number }>;
    }
  >;
}

/**
 * The paper's class agreement of generated music (`generated/<sub>/metrics.json`, without its
 * per-clip labels): the overlap of an AudioSet tagger's top-2 genres, top-2 instruments and top-1
 * mood between each original and its reconstruction, with the oracle's and chance (random pairing).
 */
export interface ClassAgreementRecord {
  classifier: string;
  genre: ScoreWithChance & { top: number };
  instrument: ScoreWithChance & { top: number };
  mood: ScoreWithChance & { top: number };
}

/** What a listening test compares with the original: the generated music or the retrieved library track. */
export type ListeningKind = 'generated' | 'retrieved';

/** One two-alternative trial: the original `clip`, its reconstruction and the reconstruction of `foil` (same subject). */
export interface ListeningTrial {
  /** `t01`, `t02`, … */
  trial: string;
  /** The fMRI subject whose decoded embeddings were reconstructed. */
  subject: string;
  clip: string;
  clipGenre: string;
  foil: string;
  foilGenre: string;
  /** The foil clip has the clip's genre. */
  foilGenreMatch: boolean;
}

/** `RUN/listening/trials-<kind>.json`: the trials every listener of this kind of test hears (each in an order of their own). */
export interface ListeningSession {
  format: 'brain2music-listening/1';
  kind: ListeningKind;
  /** The seed that drew the trials (and, with the listener's name, each listener's order and sides). */
  seed: number;
  pageVersion: string;
  /** Per trial also its audio, relative to RUN/listening/page/ (opaque names: nothing in a URL tells which is which). */
  trials: (ListeningTrial & { audio: { original: string; clip: string; foil: string } })[];
}

/** One line of `RUN/listening/<listener>.jsonl`: a trial as shown and answered. */
export interface ListeningAnswer extends ListeningTrial {
  listener: string;
  kind: ListeningKind;
  seed: number;
  pageVersion: string;
  /** 1-based place of the trial in this listener's order. */
  position: number;
  /** Whose reconstruction was on each side (clip ids). */
  sides: { left: string; right: string };
  choice: 'left' | 'right';
  /** The clip id whose reconstruction was chosen. */
  chosen: string;
  /** The chosen candidate is the reconstruction of `clip`. */
  correct: boolean;
  /** Milliseconds from the trial appearing to the choice. */
  responseMs: number;
  input: 'mouse' | 'keyboard';
  /** Times each was played before the choice. */
  plays: { original: number; left: number; right: number };
  /** ISO time the server recorded the answer. */
  answeredAt: string;
}
