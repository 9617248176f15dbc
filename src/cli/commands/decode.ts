import { openDataset } from '../../bids/index.ts';
import type { CvScoreMode } from '../../decode/index.ts';
import { fail } from '../../errors.ts';
import { DECODE_DEFAULTS } from '../../defaults.ts';
import { decodeJob, type DecodeJobInput, type DecodeRow } from '../../pipeline/jobs/decode.ts';
import { refreshRunMetrics } from '../../pipeline/jobs/evaluate.ts';
import { readTargetEmbeddings } from '../../pipeline/jobs/readTargetEmbeddings.ts';
import { runLayout, stagedWrite } from '../../run/index.ts';
import { datasetLoadOptions, type DatasetReadFlags } from '../../pipeline/index.ts';
import type { CliUi } from '../ui.ts';

export type { DecodeRow } from '../../pipeline/jobs/decode.ts';

/** Options of `brain2music decode`. */
/** How the responses are read are the configuration's `dataset` keys (source, derivatives, space, confounds, atlas, …). */
export interface DecodeOptions extends DatasetReadFlags {
  /** BIDS dataset root (ds003720 layout, real or simulated). */
  bids: string;
  /** Embeddings `.npy` (clips × windows × dim) with its `.json` beside it. */
  embeddings: string;
  /** `sub-001`, or `all` for every subject of the dataset. */
  subject: string;
  /** Run folder; writes `subjects/<sub>/decode/` and updates `metrics.json`. */
  out: string;
  /** ROIs kept (default 6). */
  rois?: number;
  /** Hemodynamic lag in TRs (default 3). */
  lagTr?: number;
  /** Scans per clip (default 10). */
  scansPerClip?: number;
  folds?: number;
  cvScore?: CvScoreMode;
  /** The decoder: 'rois', 'encoding:N', 'encoding-r:T' or 'all' (default: ROIs with an atlas, else encoding:3000). */
  voxels?: string;
  wholeCortex?: boolean;
  leaveOneGenreOut?: boolean;
  /** Cross-subject decoding beside each subject's own: 'ridge', 'srm' or 'none' (default). */
  align?: 'ridge' | 'srm' | 'none';
  /** The reference subject of ridge alignment (default: the dataset's first). */
  reference?: string;
  /** Train each subject's pooled decoder on the other subjects only. */
  alignExcludeTarget?: boolean;
  /** Shared dimensions per block of the SRM (default 50). */
  srmDims?: number;
  /** Decoded subjects keep only their first K training runs. */
  trainRuns?: number;
}

const f3 = (x: number) => x.toFixed(3);

/** Formats the subject × metric table printed by the command. */
export function formatDecodeTable(rows: readonly DecodeRow[]): string[] {
  const aligned = rows.some((r) => r.aligned);
  const runs = rows.some((r) => r.trainRuns !== undefined);
  const header = [
    'subject', ...(runs ? ['train runs'] : []), 'id test win', 'id test clip', 'id in-sample win', 'id in-sample clip', 'id oof clip', 'r', 'N-way top-1',
    ...(aligned ? ['aligned id clip', 'aligned r', 'aligned top-1'] : []), 'chance id', 'chance top-1', 'time',
  ];
  const body = rows.map((r) => [
    r.subject, ...(runs ? [r.trainRuns === undefined ? 'all' : String(r.trainRuns)] : []), f3(r.testWindows), f3(r.testClips), f3(r.trainWindows), f3(r.trainClips), f3(r.trainOutOfFoldClips), f3(r.r), f3(r.top1),
    ...(aligned ? (r.aligned ? [f3(r.aligned.testClips), f3(r.aligned.r), f3(r.aligned.top1)] : ['–', '–', '–']) : []), '0.500', f3(r.top1Chance), `${r.seconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)];
}

/** The job's `alignment` from the flags; flags that need --align without it are an error. */
function alignmentOption(opts: DecodeOptions): DecodeJobInput['alignment'] {
  const method = opts.align ?? DECODE_DEFAULTS.alignment;
  if (method === 'none') {
    const stray = [opts.reference !== undefined && '--reference', opts.alignExcludeTarget && '--align-exclude-target', opts.srmDims !== undefined && '--srm-dims'].filter(Boolean);
    if (stray.length > 0) fail('BAD_INPUT', `${stray.join(' and ')} only apply to cross-subject decoding; add --align ridge (or srm).`);
    return undefined;
  }
  return { method, reference: opts.reference, excludeTarget: opts.alignExcludeTarget ?? false, dims: opts.srmDims };
}

/**
 * `brain2music decode`: the decode job (the pipeline's decode stage) on the given dataset and
 * embeddings, written into the run folder all at once, then `RUN/metrics.json` refreshed.
 */
export async function runDecode(opts: DecodeOptions, ui: CliUi): Promise<DecodeRow[]> {
  const dataset = openDataset(opts.bids);
  const subjects = opts.subject === 'all' ? dataset.subjects : [opts.subject];
  for (const s of subjects) {
    if (!dataset.subjects.includes(s)) fail('NOT_FOUND', `subject ${s} is not in ${opts.bids} (subjects: ${dataset.subjects.join(', ')}); pass one of them or 'all'.`);
  }
  const embeddings = readTargetEmbeddings(opts.embeddings);
  const res = await stagedWrite(opts.out, 'brain2music decode', (outDir) =>
    decodeJob(
      {
        dataset, subjects, embeddings, embeddingsFile: opts.embeddings, load: datasetLoadOptions(opts), lagTr: opts.lagTr, scansPerClip: opts.scansPerClip, topRois: opts.rois,
        folds: opts.folds, cvScore: opts.cvScore, decoder: opts.voxels, wholeCortex: opts.wholeCortex, leaveOneGenreOut: opts.leaveOneGenreOut,
        alignment: alignmentOption(opts), trainRuns: opts.trainRuns,
      },
      outDir,
      ui,
    ), (r) => r.outputs);
  await stagedWrite(opts.out, 'brain2music decode', async (outDir) => refreshRunMetrics(opts.out, outDir), () => [runLayout.metrics]);
  ui.info(`identification accuracy (chance 0.5; "in-sample": the training clips the decoder was fitted on, not comparable with test; "oof": training clips out of fold, each predicted by the decoder refitted without it), ${embeddings.name}:`);
  for (const line of formatDecodeTable(res.rows)) ui.info(line);
  return res.rows;
}
