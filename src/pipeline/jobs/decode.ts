import { join } from 'node:path';
import { genreOfClipId, loadResponses, type Dataset, type LoadResponsesOptions } from '../../bids/index.ts';
import { decodeOutputs, decodeSubject, type CvScoreMode } from '../../decode/index.ts';
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
}

/** The headline of one subject, for the printed table. */
export interface DecodeRow {
  subject: string;
  testWindows: number;
  testClips: number;
  trainWindows: number;
  trainClips: number;
  r: number;
  top1: number;
  top1Chance: number;
  seconds: number;
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

/**
 * The decode stage's job, run by `brain2music decode` and by the pipeline: per subject, the
 * decoder (the paper's ROI ensemble: ridge per ROI, the top-k ROIs by training CV averaged; or,
 * without an atlas, a voxel selection learnt on the training clips), predictions and metrics for
 * the test clips, written to `outDir/subjects/<sub>/decode/`: predictions.npy|.json,
 * identification.npy, rois.json, metrics.json, selected_voxels.npy (+ voxel_encoding_r.npy) for a
 * voxel selection, and rois.nii.gz (the selected ROIs labelled by rank, or the selected voxels)
 * when the voxels have a place in a volume. Timings go to the caller, not the files, so
 * the same inputs give the same bytes.
 */
export async function decodeJob(input: DecodeJobInput, outDir: string, reporter: Reporter): Promise<DecodeJobResult> {
  const { dataset: ds, embeddings: emb } = input;
  checkClipsEmbedded(ds, emb, input.embeddingsFile);
  const genres = new Map(ds.clips.map((c) => [c.id, c.genre]));
  const genreOf = (id: string) => genres.get(id) ?? genreOfClipId(id);
  const cvScore = input.cvScore ?? DECODE_DEFAULTS.cvScore;
  const lagTr = input.lagTr ?? ALIGN_DEFAULTS.lagTr;
  const rows: DecodeRow[] = [];
  const summary: Record<string, string> = {};
  for (const subject of input.subjects) {
    const t0 = performance.now();
    reporter.info(`${subject}: loading responses`);
    // Without an atlas the labels come back 0 and the decoder falls back to a voxel selection (said in the summary).
    const resp = await loadResponses(ds, subject, { atlas: 'optional', ...input.load });
    const res = await decodeSubject(resp, emb, {
      lagTr,
      scansPerClip: input.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip,
      k: input.topRois ?? DECODE_DEFAULTS.topRois,
      folds: input.folds ?? RIDGE_DEFAULTS.folds,
      cvScore,
      decoder: input.decoder,
      wholeCortex: input.wholeCortex,
      leaveOneGenreOut: input.leaveOneGenreOut,
      genreOf,
      onProgress: progressByTask(reporter, subject),
    });
    const out = decodeOutputs(res, { subject, target: input.target ?? emb.name, tr: resp.tr, windowStarts: emb.windowStarts, windowSec: emb.windowSec, cvScore }, genreOf);
    const dir = join(outDir, runLayout.decodeDir(subject));
    writeNpy(join(dir, 'predictions.npy'), out.predictions.data, out.predictions.shape);
    writeNpy(join(dir, 'identification.npy'), out.identification.data, out.identification.shape);
    writeJsonAtomic(join(dir, 'predictions.json'), out.predictionsJson);
    writeJsonAtomic(join(dir, 'rois.json'), out.roisJson);
    writeJsonAtomic(join(dir, 'metrics.json'), out.metricsJson);
    for (const a of out.arrays) writeNpy(join(dir, a.name), a.data, a.shape);
    if (resp.space) {
      const { volumeShape, affine, voxelIndices } = resp.space;
      const vol = new Uint8Array(volumeShape[0] * volumeShape[1] * volumeShape[2]);
      res.ensemble.members.forEach((m, rank) => {
        for (const v of m.roi.voxels) vol[voxelIndices[v]!] = rank + 1;
      });
      const what = res.decoder.method === 'roi-ensemble' ? 'selected decoding ROIs (value = rank)' : `decoding voxels (${res.decoder.label})`;
      writeNifti(join(dir, 'rois.nii.gz'), { dims: volumeShape, data: vol, affine, header: { descrip: what } });
    }
    if (res.clamped.length > 0) reporter.warn(`${subject}: ${res.clamped.length} presentations ran past their run's last scan with lag ${res.lagTr} TR; those scans were clamped to the last scan (count in metrics.json).`);
    reporter.info(`${subject}: decoder ${res.decoder.label} (${res.decoder.reason})`);
    if (res.decoder.selection) {
      const sel = res.decoder.selection;
      reporter.info(`${subject}: ${sel.voxels.length} voxels selected on the training clips (per outer fold: ${sel.folds.map((f) => f.nSelected).join(', ')})`);
    } else {
      reporter.info(`${subject}: ROIs ${res.ensemble.members.map((x) => `${x.roi.name} (${x.roi.voxels.length} vox, cv r ${x.cvScore.toFixed(3)})`).join(', ')}`);
    }
    const m = res.reports.main;
    rows.push({
      subject,
      testWindows: m.test.identification.windows.value,
      testClips: m.test.identification.clips.value,
      trainWindows: m.train.identification.windows.value,
      trainClips: m.train.identification.clips.value,
      r: m.test.r.value,
      top1: m.test.nWayTop1.value,
      top1Chance: m.test.nWayTop1.chance,
      seconds: (performance.now() - t0) / 1000,
    });
    summary[subject] = `${res.decoder.reason}; identification ${m.test.identification.clips.value.toFixed(3)} (chance 0.5), ${m.test.nWayTop1.n}-way top-1 ${m.test.nWayTop1.value.toFixed(3)} (chance ${m.test.nWayTop1.chance.toFixed(3)})`;
  }
  return { rows, outputs: input.subjects.map((s) => runLayout.decodeDir(s)), summary };
}
