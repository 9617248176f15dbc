import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { writeJsonAtomic, writeNpy } from '../../io/index.ts';
import { metaPathOf, readEmbeddings } from '../../embed/index.ts';
import { openDataset, loadResponses } from '../../bids/index.ts';
import { decodeOutputs, decodeSubject, type CvScoreMode, type EmbeddingSet } from '../../decode/index.ts';
import { withRunLock } from '../../pipeline/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music decode`. */
export interface DecodeOptions {
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
  folds?: number;
  cvScore?: CvScoreMode;
  wholeCortex?: boolean;
  leaveOneGenreOut?: boolean;
}

/** One row of the printed table. */
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

/** Reads `E.npy` and `E.json` (written by `brain2music embed`, or by the user) as a decoder target. */
export function loadEmbeddingSet(path: string): EmbeddingSet {
  if (!existsSync(path)) fail('NOT_FOUND', `embeddings file ${path} does not exist; run \`brain2music embed\` first or pass the .npy you computed (with its .json).`);
  const { meta, data } = readEmbeddings(path);
  if (typeof meta.windowSec !== 'number' || !(meta.windowSec > 0)) fail('BAD_FILE', `${metaPathOf(path)} needs a positive windowSec (window length in seconds).`);
  return { data, clipIds: meta.clipIds, nWindows: meta.windowStarts.length, dim: meta.dim, windowStarts: meta.windowStarts, windowSec: meta.windowSec, model: meta.model };
}

const f3 = (x: number) => x.toFixed(3);

/** Formats the subject × metric table printed by the command. */
export function formatDecodeTable(rows: readonly DecodeRow[]): string[] {
  const header = ['subject', 'id test win', 'id test clip', 'id train win', 'id train clip', 'r', 'N-way top-1', 'chance id', 'chance top-1', 'time'];
  const body = rows.map((r) => [r.subject, f3(r.testWindows), f3(r.testClips), f3(r.trainWindows), f3(r.trainClips), f3(r.r), f3(r.top1), '0.500', f3(r.top1Chance), `${r.seconds.toFixed(1)} s`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)];
}

/**
 * `brain2music decode`: per subject, fit the ROI-ensemble decoder on the training clips, predict
 * the test clips, write `RUN/subjects/<sub>/decode/{predictions.npy, predictions.json,
 * identification.npy, rois.json, metrics.json}` atomically and update `RUN/metrics.json`.
 */
export async function runDecode(opts: DecodeOptions, ui: CliUi): Promise<DecodeRow[]> {
  return withRunLock(opts.out, () => decodeInto(opts, ui));
}

async function decodeInto(opts: DecodeOptions, ui: CliUi): Promise<DecodeRow[]> {
  const dataset = await openDataset(opts.bids);
  const emb = loadEmbeddingSet(opts.embeddings);
  const subjects = opts.subject === 'all' ? dataset.subjects : [opts.subject];
  for (const s of subjects) {
    if (!dataset.subjects.includes(s)) fail('NOT_FOUND', `subject ${s} is not in ${opts.bids} (subjects: ${dataset.subjects.join(', ')}); pass one of them or 'all'.`);
  }
  const genres = new Map(dataset.clips.map((c) => [c.id, c.genre]));
  const genreOf = (id: string) => genres.get(id) ?? id.split('.')[0];
  const cvScore = opts.cvScore ?? 'inner';
  const rows: DecodeRow[] = [];
  for (const subject of subjects) {
    const t0 = performance.now();
    ui.info(`${subject}: loading responses`);
    const resp = await loadResponses(dataset, subject);
    const bars = new Map<string, ReturnType<CliUi['progress']>>();
    const res = await decodeSubject(resp, emb, {
      lagTr: opts.lagTr,
      k: opts.rois,
      folds: opts.folds,
      cvScore,
      wholeCortex: opts.wholeCortex,
      leaveOneGenreOut: opts.leaveOneGenreOut,
      genreOf,
      onProgress: (task, done, total) => {
        let bar = bars.get(task);
        if (!bar) {
          bar = ui.progress(`${subject} ${task}`);
          bars.set(task, bar);
        }
        bar.update(done, total);
        if (done === total) bar.end();
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const out = decodeOutputs(res, { subject, target: emb.model ?? 'embedding', tr: resp.tr, windowStarts: emb.windowStarts, windowSec: emb.windowSec, cvScore, seconds }, genreOf);
    const dir = join(opts.out, 'subjects', subject, 'decode');
    writeNpy(join(dir, 'predictions.npy'), out.predictions.data, out.predictions.shape);
    writeNpy(join(dir, 'identification.npy'), out.identification.data, out.identification.shape);
    writeJsonAtomic(join(dir, 'predictions.json'), out.predictionsJson);
    writeJsonAtomic(join(dir, 'rois.json'), out.roisJson);
    writeJsonAtomic(join(dir, 'metrics.json'), out.metricsJson);
    updateRunMetrics(opts.out, subject, out.metricsJson);
    if (res.clamped.length > 0) ui.warn(`${subject}: ${res.clamped.length} presentations ran past their run's last scan with lag ${res.lagTr} TR; those scans were clamped to the last scan (listed count in metrics.json).`);
    const m = res.reports.roiEnsemble;
    rows.push({
      subject,
      testWindows: m.test.identification.windows.value,
      testClips: m.test.identification.clips.value,
      trainWindows: m.train.identification.windows.value,
      trainClips: m.train.identification.clips.value,
      r: m.test.r.value,
      top1: m.test.nWayTop1.value,
      top1Chance: m.test.nWayTop1.chance,
      seconds,
    });
    ui.info(`${subject}: ROIs ${res.ensemble.members.map((x) => `${x.roi.name} (${x.roi.voxels.length} vox, cv r ${x.cvScore.toFixed(3)})`).join(', ')}`);
  }
  ui.info(`identification accuracy (chance 0.5; train in-sample), lag ${opts.lagTr ?? 3} TR, ${emb.model}:`);
  for (const line of formatDecodeTable(rows)) ui.info(line);
  return rows;
}

/** Sets `subjects[<sub>].decode` in `RUN/metrics.json`, keeping everything else. */
function updateRunMetrics(runDir: string, subject: string, decode: Record<string, unknown>): void {
  const path = join(runDir, 'metrics.json');
  let summary: { subjects?: Record<string, Record<string, unknown>> } & Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      summary = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      fail('BAD_FILE', `${path} is not valid JSON (${(err as Error).message}); move it away and rerun.`);
    }
  }
  const subjects = summary.subjects ?? {};
  const headline = Object.fromEntries(
    ['subject', 'target', 'unit', 'lagTr', 'identificationTest', 'identificationTrain', 'nWayTop1', 'meanR', 'perGenre'].map((k) => [k, decode[k]]),
  );
  subjects[subject] = { ...(subjects[subject] ?? {}), decode: headline };
  writeJsonAtomic(path, { ...summary, subjects });
}
