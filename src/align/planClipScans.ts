import { ALIGN_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import type { AlignableResponses, AlignOptions, ClampRecord, Split } from './responses.ts';

/** Where each clip's scans come from: per clip, one source per repetition. */
export interface ClipScanPlan {
  split: Split;
  /** Clip ids in order of first presentation. */
  clipIds: string[];
  lagTr: number;
  scansPerClip: number;
  /**
   * `sources[c]` lists the presentations of clip c: `runIndex` indexes `resp.runs`; `scans`
   * holds `scansPerClip` row indices into that run's data (lag applied, clamped at the run end).
   */
  sources: { runIndex: number; scans: Int32Array }[][];
  /** Presentations whose lagged scans ran past the run end (clamped to the last scan). */
  clamped: ClampRecord[];
}

/**
 * Plans which scans hold each clip's response: for a presentation starting at scan `f`, scans
 * `f + lagTr + s` for `s = 0 … scansPerClip−1`; an index past the run's last scan is clamped to
 * the last scan and recorded in `clamped`. Pure and small: no voxel data is touched.
 */
export function planClipScans(resp: AlignableResponses, split: Split, opts: AlignOptions): ClipScanPlan {
  const lagTr = opts.lagTr;
  const scansPerClip = opts.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip;
  if (!Number.isInteger(lagTr) || lagTr < 0) fail('BAD_INPUT', `lag must be a whole number of TRs >= 0, got ${lagTr}; use e.g. --lag-tr 3 (4.5 s at TR 1.5 s) or 0.`);
  if (!Number.isInteger(scansPerClip) || scansPerClip < 1) fail('BAD_INPUT', `scansPerClip must be a positive integer, got ${scansPerClip}.`);
  if (split !== 'training' && split !== 'test') fail('BAD_INPUT', `split must be 'training' or 'test', got '${String(split)}'.`);
  const task = split === 'training' ? 'Training' : 'Test';
  const runIndex = new Map<string, number>();
  resp.runs.forEach((r, i) => runIndex.set(`${r.task}/${r.run}`, i));

  const clipIds: string[] = [];
  const byClip = new Map<string, { runIndex: number; scans: Int32Array }[]>();
  const clamped: ClampRecord[] = [];
  for (const p of resp.presentations) {
    if (p.task !== task) continue;
    const ri = runIndex.get(`${p.task}/${p.run}`);
    if (ri === undefined) fail('MISMATCH', `clip ${p.clipId} is presented in ${p.task} run ${p.run}, but the responses hold no such run; check the events and the loaded runs.`);
    const run = resp.runs[ri];
    if (!Number.isInteger(p.firstScan) || p.firstScan < 0 || p.firstScan >= run.nScans) {
      fail('MISMATCH', `clip ${p.clipId} starts at scan ${p.firstScan} of ${p.task} run ${p.run}, which has ${run.nScans} scans; check the events' onsets and the repetition time.`);
    }
    const scans = new Int32Array(scansPerClip);
    let nClamped = 0;
    for (let s = 0; s < scansPerClip; s++) {
      const k = p.firstScan + lagTr + s;
      if (k >= run.nScans) nClamped++;
      scans[s] = Math.min(k, run.nScans - 1);
    }
    if (nClamped > 0) clamped.push({ clipId: p.clipId, task: p.task, run: p.run, repetition: p.repetition, scansClamped: nClamped });
    let list = byClip.get(p.clipId);
    if (!list) {
      list = [];
      byClip.set(p.clipId, list);
      clipIds.push(p.clipId);
    }
    list.push({ runIndex: ri, scans });
  }
  if (clipIds.length === 0) fail('NOT_FOUND', `no ${split} presentations in the responses; the dataset has no ${task} runs loaded.`);
  return { split, clipIds, lagTr, scansPerClip, sources: clipIds.map((id) => byClip.get(id)!), clamped };
}
