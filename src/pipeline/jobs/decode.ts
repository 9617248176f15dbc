import { join } from 'node:path';
import { keepTrainingRuns } from '../../align/index.ts';
import { genreOfClipId, loadResponses, type Dataset, type LoadResponsesOptions, type SubjectResponses } from '../../bids/index.ts';
import {
  alignmentSubject, decodeAligned, EACH_SUBJECT_REFERENCE, decodeOutputs, decodeSubject, defaultDecoder, formatDecoderChoice, parseDecoderChoice,
  type AlignedTargetResult, type AlignmentMethod, type AlignmentSubject, type CvScoreMode, type DecodeSubjectResult,
} from '../../decode/index.ts';
import type { ClipWindows } from '../../embed/index.ts';
import { ALIGN_DEFAULTS, DECODE_DEFAULTS, RIDGE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { writeJsonAtomic, writeNifti, writeNpy } from '../../io/index.ts';
import { progressByTask, type Reporter } from '../../progress.ts';
import { runLayout } from '../../run/index.ts';

/** What the decode job decodes, and how. */
export interface DecodeJobInput {
  dataset: Dataset;
  subjects: string[];
  /** The decoding target (clips × windows × dim) and the file it came from (named in errors). */
  embeddings: ClipWindows;
  embeddingsFile: string;
  /** The model name recorded as the target (default: the embeddings' own). */
  target?: string;
  load?: LoadResponsesOptions;
  lagTr?: number;
  scansPerClip?: number;
  topRois?: number;
  folds?: number;
  cvScore?: CvScoreMode;
  /**
   * The decoder: 'rois' (the paper's ROI ensemble), 'encoding:N', 'encoding-r:T' or 'all' (see
   * `parseDecoderChoice`); default: the ROI ensemble when the subject has an atlas, else encoding:3000.
   */
  decoder?: string;
  wholeCortex?: boolean;
  leaveOneGenreOut?: boolean;
  /**
   * Cross-subject decoding beside the within-subject decoder: `method` 'ridge' (maps onto
   * `reference`, default the dataset's first subject) or 'srm' (shared response model, `dims` per
   * block); 'none' or absent: within-subject only. `excludeTarget`: the pooled decoder of a subject
   * is trained on the other subjects only. Every subject of the dataset is aligned, whichever are decoded.
   */
  alignment?: { method: AlignmentMethod | 'none'; reference?: string; excludeTarget?: boolean; dims?: number };
  /** Each decoded subject keeps only its first K training runs (the other subjects keep all theirs). */
  trainRuns?: number;
}

/** The headline of one subject, for the printed table. */
export interface DecodeRow {
  subject: string;
  testWindows: number;
  testClips: number;
  trainWindows: number;
  trainClips: number;
  /** Out-of-fold training identification, clips as items. */
  trainOutOfFoldClips: number;
  r: number;
  top1: number;
  top1Chance: number;
  seconds: number;
  /** Training runs the subject's decoders used, when limited by `trainRuns`. */
  trainRuns?: number;
  /** The pooled cross-subject decoder on the same test clips (with `alignment`). */
  aligned?: { method: AlignmentMethod; testWindows: number; testClips: number; r: number; top1: number };
}

export interface DecodeJobResult {
  rows: DecodeRow[];
  /** Run-relative folders written: `subjects/<sub>/decode` per subject. */
  outputs: string[];
  /** One line per subject for the stage table. */
  summary: Record<string, string>;
}

/** Every test and training clip of the dataset must have an embedding; fails naming the file. */
function checkClipsEmbedded(ds: Dataset, emb: ClipWindows, file: string): void {
  const have = new Set(emb.clipIds);
  const missing = ds.clips.filter((c) => !have.has(c.id)).map((c) => c.id);
  if (missing.length > 0) {
    fail('MISMATCH', `${file} has no embedding for ${missing.length} of the dataset's ${ds.clips.length} clips (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); it lists ${emb.clipIds.length} clips such as ${emb.clipIds.slice(0, 2).join(', ') || 'none'}. Embed this dataset's stimuli (brain2music embed --bids ${ds.root} …) or pass the embeddings made for it.`);
  }
}

/** What a decoded subject leaves for the end of the job, when its metrics.json is written (beside the pooled decoder's numbers). */
interface Decoded {
  subject: string;
  res: DecodeSubjectResult;
  tr: number;
  space: SubjectResponses['space'];
  trainRuns?: { kept: number; of: number };
  seconds: number;
}

/** The alignment asked for, checked against the dataset (null: none). */
function alignmentPlan(input: DecodeJobInput): { method: AlignmentMethod; reference: string; excludeTarget: boolean; dims?: number } | null {
  const a = input.alignment;
  if (!a || a.method === 'none') return null;
  if (a.method === 'srm' && a.reference !== undefined) fail('BAD_INPUT', `a reference subject (${a.reference}) applies to ridge alignment; a shared response model (srm) has none: drop --reference (decode.alignment.reference).`);
  if (a.method === 'ridge' && a.dims !== undefined) fail('BAD_INPUT', 'shared dimensions (--srm-dims, decode.alignment.dims) apply to srm alignment, not to ridge.');
  const subjects = input.dataset.subjects;
  if (subjects.length < 2) fail('BAD_INPUT', `cross-subject decoding (--align ${a.method}) needs a dataset with several subjects who heard the same clips; ${input.dataset.root} has ${subjects.length}.`);
  const reference = a.reference ?? subjects[0];
  if (reference !== EACH_SUBJECT_REFERENCE && !subjects.includes(reference)) fail('NOT_FOUND', `reference subject ${reference} is not in ${input.dataset.root} (subjects: ${subjects.join(', ')}); pass one of them (or ${EACH_SUBJECT_REFERENCE}) with --reference.`);
  return { method: a.method, reference, excludeTarget: a.excludeTarget ?? false, dims: a.dims };
}

/**
 * The decode stage's job, run by `brain2music decode` and by the pipeline: per subject, the
 * decoder (the paper's ROI ensemble: ridge per ROI, the top-k ROIs by training CV averaged; or,
 * without an atlas, a voxel selection learnt on the training clips), predictions and metrics for
 * the test clips, written to `outDir/subjects/<sub>/decode/`: predictions.npy|.json,
 * identification.npy, rois.json, metrics.json, selected_voxels.npy (+ voxel_encoding_r.npy) for a
 * voxel selection, and rois.nii.gz (the selected ROIs labelled by rank, or the selected voxels)
 * when the voxels have a place in a volume. Timings go to the caller, not the files, so
 * the same inputs give the same bytes.
 *
 * With `alignment`, every subject of the dataset is also read (one at a time: each is reduced to
 * the voxels alignment uses before the next is loaded) and one pooled decoder is trained on all of
 * them in a common space (`decodeAligned`); its scores on each decoded subject's test clips go into
 * that subject's metrics.json under `aligned` and `decoders.aligned`, its predictions to
 * predictions_aligned.npy and identification_aligned.npy. With `trainRuns` K, a decoded subject
 * keeps its first K training runs for both decoders (and then gets a pooled decoder of its own).
 */
export async function decodeJob(input: DecodeJobInput, outDir: string, reporter: Reporter): Promise<DecodeJobResult> {
  const { dataset: ds, embeddings: emb } = input;
  checkClipsEmbedded(ds, emb, input.embeddingsFile);
  const genres = new Map(ds.clips.map((c) => [c.id, c.genre]));
  const genreOf = (id: string) => genres.get(id) ?? genreOfClipId(id);
  const cvScore = input.cvScore ?? DECODE_DEFAULTS.cvScore;
  const lagTr = input.lagTr ?? ALIGN_DEFAULTS.lagTr;
  const scansPerClip = input.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip;
  const folds = input.folds ?? RIDGE_DEFAULTS.folds;
  const plan = alignmentPlan(input);
  const targets = new Set(input.subjects);
  const decoded: Decoded[] = [];
  // pooled decoding: every subject with all its runs, and the decoded subjects limited to K runs
  const full = new Map<string, AlignmentSubject>();
  const limited = new Map<string, AlignmentSubject>();
  const target = input.target ?? emb.name;
  for (const subject of plan ? ds.subjects : input.subjects) {
    const t0 = performance.now();
    reporter.info(`${subject}: loading responses`);
    // Without an atlas the labels come back 0 and the decoder falls back to a voxel selection (said in the summary).
    const resp: SubjectResponses = await loadResponses(ds, subject, { atlas: 'optional', ...input.load });
    const isTarget = targets.has(subject);
    const own = isTarget && input.trainRuns !== undefined ? keepTrainingRuns(resp, input.trainRuns) : resp;
    const ofRuns = new Set(resp.runs.filter((r) => r.task === 'Training').map((r) => r.run)).size;
    let res: DecodeSubjectResult | undefined;
    if (isTarget) {
      res = await decodeSubject(own, emb, {
        lagTr,
        scansPerClip,
        k: input.topRois ?? DECODE_DEFAULTS.topRois,
        folds,
        cvScore,
        decoder: input.decoder,
        wholeCortex: input.wholeCortex,
        leaveOneGenreOut: input.leaveOneGenreOut,
        genreOf,
        onProgress: progressByTask(reporter, subject),
      });
      if (res.clamped.length > 0) reporter.warn(`${subject}: ${res.clamped.length} presentations ran past their run's last scan with lag ${res.lagTr} TR; those scans were clamped to the last scan (count in metrics.json).`);
      reporter.info(`${subject}: decoder ${res.decoder.label} (${res.decoder.reason})${input.trainRuns !== undefined ? `, first ${input.trainRuns} of ${ofRuns} training runs` : ''}`);
      if (res.decoder.selection) {
        const sel = res.decoder.selection;
        reporter.info(`${subject}: ${sel.voxels.length} voxels selected on the training clips (per outer fold: ${sel.folds.map((f) => f.nSelected).join(', ')})`);
      } else {
        reporter.info(`${subject}: ROIs ${res.ensemble.members.map((x) => `${x.roi.name} (${x.roi.voxels.length} vox, cv r ${x.cvScore.toFixed(3)})`).join(', ')}`);
      }
      decoded.push({ subject, res, tr: resp.tr, space: resp.space, ...(input.trainRuns !== undefined ? { trainRuns: { kept: input.trainRuns, of: ofRuns } } : {}), seconds: (performance.now() - t0) / 1000 });
    }
    if (plan) {
      // one decoder for every subject: the one asked for, else this subject's default (the pooled fit fails if they differ)
      const choice = input.decoder !== undefined ? parseDecoderChoice(input.decoder) : defaultDecoder(resp.atlas, resp.nVoxels).choice;
      const prep = { lagTr, scansPerClip, decoder: choice, folds };
      reporter.info(`${subject}: preparing for ${plan.method} alignment (${formatDecoderChoice(choice)})`);
      // the subject's own decoder already chose its voxels on the same training clips: reuse them
      const selected = res?.decoder.selection?.voxels;
      full.set(subject, await alignmentSubject(subject, resp, emb, { ...prep, selected: own === resp ? selected : undefined }));
      if (own !== resp) limited.set(subject, await alignmentSubject(subject, own, emb, { ...prep, selected }));
    }
  }
  const aligned = new Map<string, AlignedTargetResult>();
  if (plan) {
    const opts = {
      method: plan.method, reference: plan.reference, excludeTarget: plan.excludeTarget, srmDims: plan.dims, k: input.topRois ?? DECODE_DEFAULTS.topRois,
      folds, cvScore, genreOf, onProgress: progressByTask(reporter, `${plan.method} alignment`),
    };
    const note = plan.method !== 'ridge' ? '' : plan.reference === EACH_SUBJECT_REFERENCE ? ' onto each decoded subject' : ` onto ${plan.reference}`;
    reporter.info(`pooled decoder: ${plan.method} alignment${note} of ${ds.subjects.join(', ')}${plan.excludeTarget ? ', each decoded subject left out of its decoder' : ''}`);
    if (limited.size === 0) {
      for (const r of await decodeAligned([...full.values()], emb, { ...opts, targets: input.subjects })) aligned.set(r.subject, r);
    } else {
      for (const t of input.subjects) {
        const subjects = ds.subjects.map((s) => (s === t ? limited.get(t)! : full.get(s)!));
        for (const r of await decodeAligned(subjects, emb, { ...opts, targets: [t] })) aligned.set(r.subject, r);
      }
    }
  }
  const rows: DecodeRow[] = [];
  const summary: Record<string, string> = {};
  for (const d of decoded) {
    const { subject, res } = d;
    const al = aligned.get(subject);
    const out = decodeOutputs(res, { subject, target, tr: d.tr, windowStarts: emb.windowStarts, windowSec: emb.windowSec, cvScore, ...(d.trainRuns ? { trainRuns: d.trainRuns } : {}) }, genreOf, al);
    const dir = join(outDir, runLayout.decodeDir(subject));
    writeNpy(join(dir, 'predictions.npy'), out.predictions.data, out.predictions.shape);
    writeNpy(join(dir, 'identification.npy'), out.identification.data, out.identification.shape);
    writeJsonAtomic(join(dir, 'predictions.json'), out.predictionsJson);
    writeJsonAtomic(join(dir, 'rois.json'), out.roisJson);
    writeJsonAtomic(join(dir, 'metrics.json'), out.metricsJson);
    for (const a of out.arrays) writeNpy(join(dir, a.name), a.data, a.shape);
    if (d.space) {
      const { volumeShape, affine, voxelIndices } = d.space;
      const vol = new Uint8Array(volumeShape[0] * volumeShape[1] * volumeShape[2]);
      res.ensemble.members.forEach((mb, rank) => {
        for (const v of mb.roi.voxels) vol[voxelIndices[v]!] = rank + 1;
      });
      const what = res.decoder.method === 'roi-ensemble' ? 'selected decoding ROIs (value = rank)' : `decoding voxels (${res.decoder.label})`;
      writeNifti(join(dir, 'rois.nii.gz'), { dims: volumeShape, data: vol, affine, header: { descrip: what } });
    }
    const m = res.reports.main;
    const at = al?.report.test;
    rows.push({
      subject,
      testWindows: m.test.identification.windows.value,
      testClips: m.test.identification.clips.value,
      trainWindows: m.train.identification.windows.value,
      trainClips: m.train.identification.clips.value,
      trainOutOfFoldClips: m.trainOutOfFold?.identification.clips.value ?? Number.NaN,
      r: m.test.r.value,
      top1: m.test.nWayTop1.value,
      top1Chance: m.test.nWayTop1.chance,
      seconds: d.seconds,
      ...(d.trainRuns ? { trainRuns: d.trainRuns.kept } : {}),
      ...(al && at ? { aligned: { method: al.method, testWindows: at.identification.windows.value, testClips: at.identification.clips.value, r: at.r.value, top1: at.nWayTop1.value } } : {}),
    });
    const alignedNote = al && at ? `; ${al.method}-aligned pooled decoder ${at.identification.clips.value.toFixed(3)}` : '';
    summary[subject] = `${res.decoder.reason}${d.trainRuns ? ` (first ${d.trainRuns.kept} of ${d.trainRuns.of} training runs)` : ''}; identification ${m.test.identification.clips.value.toFixed(3)} (chance 0.5), ${m.test.nWayTop1.n}-way top-1 ${m.test.nWayTop1.value.toFixed(3)} (chance ${m.test.nWayTop1.chance.toFixed(3)})${alignedNote}`;
  }
  return { rows, outputs: input.subjects.map((s) => runLayout.decodeDir(s)), summary };
}
