import { DECODE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import {
  alignmentColumns, applyAlignment, fitRidgeAlignment, fitSharedResponse, fitSrmSubject, identityAlignment, roiBlocks, selectionBlock,
  type AlignmentAlpha, type AlignmentBlock, type SubjectAlignment,
} from '../align/index.ts';
import { genreOfClipId } from '../bids/index.ts';
import { rowsFor, type ClipWindows } from '../embed/index.ts';
import type { AlignedDecoderInfo } from '../run/index.ts';
import type { AlignmentSubject } from './alignmentSubject.ts';
import type { DecoderReport } from './decodeSubject.ts';
import { evaluateDecoding } from './evaluateDecoding.ts';
import { fitRoiEnsemble, type DecoderTrainingData, type RoiEnsemble } from './fitRoiEnsemble.ts';
import { SELECTION_ROI_LABEL } from './fitSelectionDecoder.ts';
import type { CvScoreMode } from './fitVoxelDecoder.ts';
import { predictRoiEnsemble } from './predictRoiEnsemble.ts';
import type { Roi } from './roiList.ts';

/** How subjects are brought into one space: ridge maps onto a reference subject, or a shared response model. */
export type AlignmentMethod = 'ridge' | 'srm';

/** The alignment methods, for messages and parsers. */
export const ALIGNMENT_METHODS: readonly AlignmentMethod[] = ['ridge', 'srm'];

/**
 * The ridge reference that makes every scored subject its own reference: the others are mapped
 * onto the target's voxels and its pooled decoder works in its own space, so a subject whose voxels
 * carry more than a fixed reference's loses nothing by going through someone else's space.
 */
export const EACH_SUBJECT_REFERENCE = 'each';

/** Options of {@link decodeAligned}. */
export interface AlignedDecodeOptions {
  method: AlignmentMethod;
  /**
   * Ridge: the subject whose voxels are the common space, or {@link EACH_SUBJECT_REFERENCE} (every
   * target is its own reference: one space and one decoder per target). SRM: recorded only (the
   * shared space has no reference).
   */
  reference: string;
  /** Subjects to score (each on its own test clips). */
  targets: readonly string[];
  /**
   * Train the decoder without the target (the "new subject" case): the target's training clips
   * only serve to learn its alignment. One decoder per target instead of one for all.
   */
  excludeTarget?: boolean;
  /** SRM: shared dimensions per block (default 50). */
  srmDims?: number;
  /** SRM: seed of the random start (default 0). */
  seed?: number;
  /** Ridge alignment: alpha per reference voxel (default) or per block. */
  alignmentAlpha?: AlignmentAlpha;
  /** Rows alignment is learnt on: the training clips' scans (default) or their windows. */
  alignOn?: 'scans' | 'windows';
  /** ROIs kept in the pooled ROI ensemble (default 6). */
  k?: number;
  folds?: number;
  alphas?: ArrayLike<number>;
  cvScore?: CvScoreMode;
  /** Regions with fewer voxels than this in any subject are not aligned (default 1). */
  minRoiVoxels?: number;
  genreOf?: (clipId: string) => string;
  onProgress?: (task: string, done: number, total: number) => void;
}

/** How one subject entered the common space, for the record. */
export interface AlignedSubjectRecord {
  subject: string;
  /** `identity` for the ridge reference. */
  method: SubjectAlignment['method'];
  /** Training clips its alignment was learnt on. */
  clips: number;
  trainingRuns: number;
  /** Ridge: mean CV R² of the reference voxels over blocks (weighted by voxels). */
  cvR2?: number;
  /** Whether its training rows trained the pooled decoder. */
  inDecoder: boolean;
}

/** The pooled decoder's result for one target subject. */
export interface AlignedTargetResult extends AlignedDecoderInfo {
  subject: string;
  method: AlignmentMethod;
  reference: string;
  subjects: AlignedSubjectRecord[];
  /** SRM: the objective after each alternation. */
  objective?: number[];
  /** The maps used (the target's first), for inspection and the leakage test. */
  alignments: SubjectAlignment[];
  /** The pooled decoder (a ROI ensemble over the common space's blocks). */
  ensemble: RoiEnsemble;
  /** Test: the target's own test clips; train: its training clips (in-sample unless the target was excluded). */
  report: DecoderReport;
  predictions: { test: Float32Array; train: Float32Array };
  targets: { test: Float32Array; train: Float32Array };
  clipIds: { train: string[]; test: string[] };
}

interface Space {
  /** Ridge: the subject whose voxels the space is. */
  reference?: string;
  alignments: Map<string, SubjectAlignment>;
  objective?: number[];
}

/** The common space's blocks as ROIs of the pooled decoder: block b covers its columns. */
function spaceRois(a: SubjectAlignment): Roi[] {
  let c0 = 0;
  return alignmentColumns(a).map((b) => {
    const roi = { label: b.label, name: b.name, voxels: Int32Array.from({ length: b.columns }, (_, j) => c0 + j) };
    c0 += b.columns;
    return roi;
  });
}

function weightedCvR2(a: SubjectAlignment): number | undefined {
  if (a.method !== 'ridge') return undefined;
  let s = 0;
  let n = 0;
  for (const b of a.blocks) {
    s += b.cvR2 * b.referenceVoxels.length;
    n += b.referenceVoxels.length;
  }
  return s / n;
}

/**
 * Cross-subject decoding (Ciferri et al. 2025's recipe): every subject's responses are brought into
 * one space, learnt on the training clips all subjects heard, and one decoder is trained on the
 * aligned training rows of every subject (or every subject but the target), then each target is
 * scored on its own test clips, mapped into the same space, with the metrics and chance levels of
 * `decodeSubject`.
 *
 * - Space: `ridge` maps each subject onto the reference subject's voxels (`fitRidgeAlignment`; the
 *   reference enters unchanged); `srm` maps every subject into k shared dimensions
 *   (`fitSharedResponse`; a target left out of the decoder is also left out of the SRM fit and folded
 *   in from its training clips, `fitSrmSubject`).
 * - Blocks: with the ROI ensemble (subjects prepared with `decoder: rois`) alignment runs region by
 *   region (`roiBlocks`: a source's region r onto the reference's region r) and the pooled decoder is
 *   the ROI ensemble over the aligned regions; with a voxel selection each subject's own selected
 *   voxels form one block and the pooled decoder is a ridge on all aligned columns.
 * - Decoder: `fitRoiEnsemble` on the stacked rows, CV folds grouped by clip **across subjects**, so
 *   a clip's windows from every subject fall in the same fold (their aligned rows are near copies:
 *   splitting them would let the CV choose alphas on memorised clips).
 *
 * Nothing fitted sees a test response: maps, the shared response, the standardiser and the ridge
 * all come from training rows; test rows only pass through `applyAlignment` and the decoder.
 * Without `excludeTarget` one common space and one decoder serve every target, unless every target is
 * its own ridge reference (`reference: 'each'`: a space and a decoder per target); with it the ridge
 * maps are still fitted once per reference (they do not depend on who trains the decoder), the
 * decoder once per target.
 *
 * @param subjects every subject of the dataset, prepared by `alignmentSubject` with the same decoder
 */
export async function decodeAligned(subjects: readonly AlignmentSubject[], emb: ClipWindows, opts: AlignedDecodeOptions): Promise<AlignedTargetResult[]> {
  const method = opts.method;
  if (!ALIGNMENT_METHODS.includes(method)) fail('BAD_INPUT', `alignment method '${String(method)}' is unknown; use ${ALIGNMENT_METHODS.join(' or ')} (or none).`);
  if (subjects.length < 2) fail('BAD_INPUT', `cross-subject decoding needs at least 2 subjects, got ${subjects.length}; the dataset must hold several subjects who heard the same training clips.`);
  const ids = subjects.map((s) => s.subject);
  const byId = new Map(subjects.map((s) => [s.subject, s]));
  if (byId.size !== subjects.length) fail('BAD_INPUT', 'a subject is listed twice for cross-subject decoding.');
  const each = opts.reference === EACH_SUBJECT_REFERENCE;
  if (!each && !byId.has(opts.reference)) fail('BAD_INPUT', `reference ${opts.reference} is not among the subjects (${ids.join(', ')}); pass one of them (or ${EACH_SUBJECT_REFERENCE}) with --reference.`);
  for (const t of opts.targets) if (!byId.has(t)) fail('BAD_INPUT', `target ${t} is not among the subjects (${ids.join(', ')}).`);
  const decoders = new Set(subjects.map((s) => s.decoder));
  if (decoders.size !== 1) fail('INTERNAL', `subjects were prepared for different decoders (${[...decoders].join(', ')}); prepare all with one.`);
  const mode: 'rois' | 'selection' = subjects[0].selection ? 'selection' : 'rois';
  const blocks: AlignmentBlock[] = mode === 'rois'
    ? roiBlocks(subjects.map((s) => ({ subject: s.subject, labels: s.labels, names: s.names })), opts.minRoiVoxels ?? 1)
    : selectionBlock(subjects.map((s) => ({ subject: s.subject, voxels: s.selection! })), SELECTION_ROI_LABEL, `aligned ${subjects[0].decoder}`);
  const genreOf = opts.genreOf ?? genreOfClipId;
  const T = emb.dim;
  const exclude = opts.excludeTarget ?? false;
  const progress = (task: string) => (d: number, t: number) => opts.onProgress?.(task, d, t);

  // --- the common space(s)
  const rowsOf = (s: AlignmentSubject) => ((opts.alignOn ?? 'scans') === 'scans' ? s.trainScans : s.train);
  // maps onto each reference, fitted once: they do not depend on who trains the decoder
  const ridgeSpaces = new Map<string, Space>();
  const ridgeSpace = async (reference: string): Promise<Space> => {
    const cached = ridgeSpaces.get(reference);
    if (cached) return cached;
    const ref = byId.get(reference)!;
    const alignments = new Map<string, SubjectAlignment>([[ref.subject, identityAlignment(ref.subject, ref.train.nVoxels, blocks)]]);
    for (const s of subjects) {
      if (s === ref) continue;
      alignments.set(s.subject, await fitRidgeAlignment(
        { subject: s.subject, rows: rowsOf(s) }, { subject: ref.subject, rows: rowsOf(ref) }, blocks,
        { alphas: opts.alphas, folds: opts.folds, alpha: opts.alignmentAlpha, onProgress: progress(`align ${s.subject} → ${ref.subject}`) },
      ));
    }
    const space = { reference, alignments };
    ridgeSpaces.set(reference, space);
    return space;
  };
  const srmSpace = async (left: AlignmentSubject | null): Promise<Space> => {
    const fitOn = subjects.filter((s) => s !== left);
    opts.onProgress?.('shared response model', 0, 1);
    const model = await fitSharedResponse(fitOn.map((s) => ({ subject: s.subject, rows: rowsOf(s) })), blocks, { dims: opts.srmDims, seed: opts.seed });
    opts.onProgress?.('shared response model', 1, 1);
    const alignments = new Map<string, SubjectAlignment>(model.maps.map((m) => [m.subject, m]));
    if (left) alignments.set(left.subject, await fitSrmSubject(model, { subject: left.subject, rows: rowsOf(left) }, blocks));
    return { alignments, objective: model.objective };
  };

  // --- the pooled decoder on a set of training subjects
  const pooledDecoder = async (space: Space, training: readonly AlignmentSubject[]) => {
    const clipIndex = new Map<string, number>();
    const parts: { X: Float32Array; Y: Float32Array; g: Int32Array }[] = [];
    let D = 0;
    for (const s of training) {
      const a = space.alignments.get(s.subject)!;
      D = a.nColumns;
      const X = await applyAlignment(a, s.train.data);
      const Y = rowsFor(emb, s.train.clipIds, `a training clip of ${s.subject}`);
      const W = s.train.nWindows;
      const g = new Int32Array(s.train.clipIds.length * W);
      s.train.clipIds.forEach((id, c) => {
        if (!clipIndex.has(id)) clipIndex.set(id, clipIndex.size);
        g.fill(clipIndex.get(id)!, c * W, (c + 1) * W);
      });
      parts.push({ X, Y, g });
    }
    const n = parts.reduce((s, p) => s + p.g.length, 0);
    const data: DecoderTrainingData = { X: new Float32Array(n * D), nVoxels: D, Y: new Float32Array(n * T), nTargets: T, groups: new Int32Array(n) };
    let r = 0;
    for (const p of parts) {
      data.X.set(p.X, r * D);
      data.Y.set(p.Y, r * T);
      data.groups.set(p.g, r);
      r += p.g.length;
    }
    parts.length = 0;
    const rois = spaceRois(space.alignments.get(training[0].subject)!);
    const k = Math.min(opts.k ?? DECODE_DEFAULTS.topRois, rois.length);
    const ensemble = await fitRoiEnsemble(data, rois, { k, folds: opts.folds, alphas: opts.alphas, cvScore: opts.cvScore, onProgress: progress('pooled decoder') });
    return { ensemble, rows: n, clips: clipIndex.size };
  };

  const score = async (space: Space, training: readonly AlignmentSubject[], dec: Awaited<ReturnType<typeof pooledDecoder>>, target: AlignmentSubject): Promise<AlignedTargetResult> => {
    const a = space.alignments.get(target.subject)!;
    const Ytest = rowsFor(emb, target.test.clipIds, `a test clip of ${target.subject}`);
    const Ytrain = rowsFor(emb, target.train.clipIds, `a training clip of ${target.subject}`);
    const predTest = await predictRoiEnsemble(dec.ensemble, await applyAlignment(a, target.test.data));
    const predTrain = await predictRoiEnsemble(dec.ensemble, await applyAlignment(a, target.train.data));
    const inDecoder = new Set(training.map((s) => s.subject));
    return {
      subject: target.subject,
      method,
      reference: space.reference ?? opts.reference,
      excludeTarget: exclude,
      blocks: mode,
      nBlocks: blocks.length,
      nColumns: a.nColumns,
      trainingSubjects: training.map((s) => s.subject),
      trainingRows: dec.rows,
      trainingClips: dec.clips,
      subjects: subjects.map((s) => {
        const al = space.alignments.get(s.subject)!;
        const cvR2 = weightedCvR2(al);
        const clips = al.method === 'ridge' ? al.clipIds.length : al.method === 'srm' ? al.clips : s.train.clipIds.length;
        return { subject: s.subject, method: al.method, clips, trainingRuns: s.trainingRuns, ...(cvR2 === undefined ? {} : { cvR2 }), inDecoder: inDecoder.has(s.subject) };
      }),
      ...(space.objective ? { objective: space.objective } : {}),
      alignments: [a, ...subjects.filter((s) => s !== target).map((s) => space.alignments.get(s.subject)!)],
      ensemble: dec.ensemble,
      report: {
        test: evaluateDecoding(predTest, Ytest, target.test.clipIds, target.test.nWindows, T, genreOf),
        train: evaluateDecoding(predTrain, Ytrain, target.train.clipIds, target.train.nWindows, T, genreOf),
      },
      predictions: { test: predTest, train: predTrain },
      targets: { test: Ytest, train: Ytrain },
      clipIds: { train: [...target.train.clipIds], test: [...target.test.clipIds] },
    };
  };

  const out: AlignedTargetResult[] = [];
  const referenceOf = (target: string) => (each ? target : opts.reference);
  if (!exclude && !(method === 'ridge' && each)) {
    const space = method === 'ridge' ? await ridgeSpace(opts.reference) : await srmSpace(null);
    const dec = await pooledDecoder(space, subjects);
    for (const t of opts.targets) out.push(await score(space, subjects, dec, byId.get(t)!));
  } else {
    for (const t of opts.targets) {
      const target = byId.get(t)!;
      const training = exclude ? subjects.filter((s) => s !== target) : subjects;
      const space = method === 'ridge' ? await ridgeSpace(referenceOf(t)) : await srmSpace(target);
      const dec = await pooledDecoder(space, training);
      out.push(await score(space, training, dec, target));
    }
  }
  return out;
}
