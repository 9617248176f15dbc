import { ALIGN_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { rowsFor, type ClipWindows } from '../embed/index.ts';
import { alignWindows, clipScans, gatherColumns, type AlignedWindows, type WindowRows } from '../align/index.ts';
import { formatDecoderChoice, type DecoderChoice } from './decoderChoice.ts';
import type { DecodableResponses } from './decodeSubject.ts';
import { encodingCvScores } from './encodingCvScores.ts';
import { selectVoxels } from './selectVoxels.ts';

/**
 * One subject's share of a pooled (cross-subject) decoder: its training and test window rows,
 * kept only for the voxels alignment will use, so that the full responses (1.8 GB per ds003720
 * subject) can be dropped before the next subject is read.
 */
export interface AlignmentSubject {
  subject: string;
  /** Training windows (clips × windows rows) on the kept voxels: `train.nVoxels` = `voxels.length`. */
  train: AlignedWindows;
  /** Test windows (repetitions averaged) on the same voxels. */
  test: AlignedWindows;
  /**
   * The training clips' scans (lag applied: `scansPerClip` rows per clip) on the same voxels: the
   * rows alignment is learnt on. A linear map commutes with averaging scans into windows, so a map
   * learnt on scans applies to window rows; scans are 2.5 times as many rows as ds003720's 4 windows
   * per clip and far less redundant (neighbouring 10 s windows share 6 of their 7 scans).
   */
  trainScans: WindowRows;
  /** The original voxel index of each kept column (ascending). */
  voxels: Int32Array;
  /** Voxels of the full responses. */
  nVoxels: number;
  /** Atlas label of each kept column (0: none) and the label names. */
  labels: Int32Array;
  names: ReadonlyMap<number, string>;
  /**
   * For a voxel-selection decoder, the subject's own selection (learnt on its training clips; here
   * every kept column, so `0 … voxels.length−1`); null for the ROI ensemble (blocks = atlas regions).
   */
  selection: Int32Array | null;
  /** The decoder the voxels were kept for (`rois`, `encoding:3000`, …). */
  decoder: string;
  /** Training runs the windows come from. */
  trainingRuns: number;
}

/** Options of {@link alignmentSubject}. */
export interface AlignmentSubjectOptions {
  lagTr?: number;
  scansPerClip?: number;
  /** The decoder (already resolved): the ROI ensemble keeps every labelled voxel, a selection its voxels. */
  decoder: DecoderChoice;
  /** The selection's voxels when already computed on these training clips (e.g. by the subject's own `decodeSubject`). */
  selected?: Int32Array;
  /** CV folds and alphas of the encoding model that selects the voxels. */
  folds?: number;
  alphas?: ArrayLike<number>;
  voxelBatch?: number;
}

/**
 * Prepares a subject for pooled decoding: aligns its responses to the embedding windows (the lag
 * and averaging of `decodeSubject`), then keeps the voxels the alignment works on: with the ROI
 * ensemble every atlas-labelled voxel (alignment runs region by region), with a voxel selection the
 * subject's own selection, made on its training clips only (`encodingCvScores` + `selectVoxels`, as
 * the final step of `fitSelectionDecoder`) unless `selected` gives it. Limit the training runs first
 * (`keepTrainingRuns`) for a subject with little data: the selection then uses those runs only.
 */
export async function alignmentSubject(subject: string, resp: DecodableResponses, emb: ClipWindows, opts: AlignmentSubjectOptions): Promise<AlignmentSubject> {
  const windows = emb.windowStarts.map((s) => ({ start: s, end: s + emb.windowSec }));
  const alignOpts = { lagTr: opts.lagTr ?? ALIGN_DEFAULTS.lagTr, scansPerClip: opts.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip };
  const train = alignWindows(resp, 'training', windows, alignOpts);
  const test = alignWindows(resp, 'test', windows, alignOpts);
  const V = resp.nVoxels;
  const labels = resp.atlas.labels.length === V ? resp.atlas.labels : new Int32Array(V);
  const choice = opts.decoder;
  let voxels: Int32Array;
  if (choice.kind === 'roi-ensemble') {
    voxels = Int32Array.from(Array.from(labels.keys()).filter((v) => labels[v] !== 0));
    if (voxels.length === 0) fail('BAD_INPUT', `${subject}'s atlas labels no voxel; ROI-wise alignment needs atlas regions, or decode with a voxel selection (--voxels encoding:3000).`);
  } else if (opts.selected) {
    voxels = opts.selected;
  } else {
    const nRows = train.clipIds.length * train.nWindows;
    const data = { X: train.data, nVoxels: V, Y: rowsFor(emb, train.clipIds, `a training clip of ${subject}`), nTargets: emb.dim, groups: train.groups };
    const enc = choice.kind === 'all' ? null : await encodingCvScores(data, { folds: opts.folds, alphas: opts.alphas, voxelBatch: opts.voxelBatch });
    voxels = selectVoxels(choice, enc ? enc.r : null, V, `${subject}'s ${train.clipIds.length} training clips (${nRows} rows)`).voxels;
  }
  const keep = (w: AlignedWindows): AlignedWindows => ({ ...w, nVoxels: voxels.length, data: gatherColumns(w.data, w.clipIds.length * w.nWindows, V, voxels) });
  const runs = new Set(resp.runs.filter((r) => r.task === 'Training').map((r) => r.run)).size;
  const scans = clipScans(resp, 'training', alignOpts);
  const trainScans: WindowRows = { clipIds: scans.clipIds, nWindows: scans.scansPerClip, nVoxels: voxels.length, data: gatherColumns(scans.data, scans.clipIds.length * scans.scansPerClip, V, voxels) };
  return {
    subject,
    train: keep(train),
    trainScans,
    test: keep(test),
    voxels,
    nVoxels: V,
    labels: Int32Array.from(voxels, (v) => labels[v]),
    names: resp.atlas.names,
    selection: choice.kind === 'roi-ensemble' ? null : Int32Array.from({ length: voxels.length }, (_, i) => i),
    decoder: formatDecoderChoice(choice),
    trainingRuns: runs,
  };
}
