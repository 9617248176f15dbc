import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '../errors.ts';
import { buildSchedule, type RunEvents } from './buildSchedule.ts';
import { readEvents } from './events.ts';
import type { Dataset, RunFiles, SubjectFiles, Task } from './types.ts';

const TASKS: Task[] = ['Training', 'Test'];
const RUN_FILE = /^(sub-[A-Za-z0-9]+)_task-(Training|Test)_run-(\d+)_(events\.tsv|bold\.nii\.gz|bold\.nii)$/;

/** Path of a derivative response array: `derivative/preprocessed_data/sub-001_Resp_Training.npy`. */
export function derivativePath(root: string, subject: string, kind: 'Training' | 'Test' | 'Test_Mean'): string {
  return join(root, 'derivative', 'preprocessed_data', `${subject}_Resp_${kind}.npy`);
}

/** Atlas files of a subject (see README, "Atlas files"). */
export function atlasPaths(root: string, subject: string): SubjectFiles['atlas'] {
  const d = join(root, 'derivatives', 'atlas', subject);
  const p = (name: string) => {
    const f = join(d, `${subject}_${name}`);
    return existsSync(f) ? f : null;
  };
  return {
    dseg: p('space-bold_dseg.nii.gz') ?? p('space-bold_dseg.nii'),
    dsegTsv: p('space-bold_dseg.tsv'),
    voxelLabels: p('desc-voxels_labels.npy'),
    voxelIndices: p('desc-voxels_indices.npy'),
    reference: p('space-bold_ref.nii.gz') ?? p('space-bold_ref.nii'),
  };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function subjectFiles(root: string, subject: string): SubjectFiles {
  const func = join(root, subject, 'func');
  const runs = new Map<string, RunFiles>();
  for (const name of listDir(func)) {
    const m = RUN_FILE.exec(name);
    if (!m || m[1] !== subject) continue;
    const task = m[2] as Task;
    const run = Number(m[3]);
    const key = `${task}-${run}`;
    const entry = runs.get(key) ?? { task, run, bold: null, events: null };
    if (m[4] === 'events.tsv') entry.events = join(func, name);
    else if (entry.bold === null || m[4] === 'bold.nii') entry.bold = join(func, name); // the real dataset ships .nii
    runs.set(key, entry);
  }
  const ordered = [...runs.values()].sort((a, b) => TASKS.indexOf(a.task) - TASKS.indexOf(b.task) || a.run - b.run);
  const deriv = (k: 'Training' | 'Test' | 'Test_Mean') => {
    const p = derivativePath(root, subject, k);
    return existsSync(p) ? p : null;
  };
  return { subject, runs: ordered, derivative: { training: deriv('Training'), test: deriv('Test'), testMean: deriv('Test_Mean') }, atlas: atlasPaths(root, subject) };
}

/** RepetitionTime from the run's `_bold.json`, or inherited `task-<Task>_bold.json` (subject or root level). */
function repetitionTime(root: string, subject: string, task: Task, run: number): { tr: number; file: string } | null {
  const stem = `${subject}_task-${task}_run-${String(run).padStart(2, '0')}_bold.json`;
  const candidates = [join(root, subject, 'func', stem), join(root, subject, `${subject}_task-${task}_bold.json`), join(root, `task-${task}_bold.json`)];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      fail('BAD_FILE', `${file} is not valid JSON (${(err as Error).message}).`, err);
    }
    const tr = (json as { RepetitionTime?: unknown }).RepetitionTime;
    if (typeof tr !== 'number' || !(tr > 0)) fail('BAD_FILE', `${file} has no positive RepetitionTime (seconds); add e.g. "RepetitionTime": 1.5.`);
    return { tr, file };
  }
  return null;
}

/**
 * Open a dataset in the ds003720 layout: find subjects (`sub-*` folders and/or derivative
 * arrays), their runs and files, the TR (from `_bold.json`, BIDS inheritance allowed), and the
 * stimulus schedule and clip table from the events files (shared by all subjects; a subject
 * without events files uses the shared schedule, one whose events differ is an error).
 * Nothing large is read here; {@link loadResponses} reads the responses.
 *
 * @example const ds = openDataset('/data/ds003720'); ds.clips.length // 540 (480 training + 60 test)
 */
export function openDataset(root: string): Dataset {
  const abs = resolve(root);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) fail('NOT_FOUND', `dataset folder ${abs} does not exist; pass the ds003720 root (the folder holding sub-001, …).`);
  const names = new Set<string>();
  for (const n of listDir(abs)) if (/^sub-[A-Za-z0-9]+$/.test(n) && statSync(join(abs, n)).isDirectory()) names.add(n);
  for (const n of listDir(join(abs, 'derivative', 'preprocessed_data'))) {
    const m = /^(sub-[A-Za-z0-9]+)_Resp_(Training|Test|Test_Mean)\.npy$/.exec(n);
    if (m) names.add(m[1]);
  }
  const subjects = [...names].sort();
  if (subjects.length === 0) fail('NOT_FOUND', `no subjects in ${abs}: expected sub-XXX/func/ folders or derivative/preprocessed_data/sub-XXX_Resp_*.npy.`);
  const files: Record<string, SubjectFiles> = {};
  for (const s of subjects) files[s] = subjectFiles(abs, s);

  let tr: { tr: number; file: string } | null = null;
  let reference: { subject: string; runs: RunEvents[] } | null = null;
  for (const s of subjects) {
    const withEvents = files[s].runs.filter((r) => r.events !== null);
    if (withEvents.length === 0) continue;
    for (const r of files[s].runs) {
      if (r.events === null) fail('NOT_FOUND', `${join(abs, s, 'func')}: run ${r.task} ${r.run} has a BOLD file but no _events.tsv; every run needs its events.`);
      const t = repetitionTime(abs, s, r.task, r.run);
      if (t === null) {
        fail('NOT_FOUND', `no TR for ${s} task-${r.task} run-${String(r.run).padStart(2, '0')}: neither ${join(abs, s, 'func', `${s}_task-${r.task}_run-${String(r.run).padStart(2, '0')}_bold.json`)} nor ${join(abs, `task-${r.task}_bold.json`)} exists. Add one with "RepetitionTime": 1.5.`);
      }
      if (tr === null) tr = t;
      else if (Math.abs(t.tr - tr.tr) > 1e-6) fail('MISMATCH', `RepetitionTime differs: ${tr.tr} s in ${tr.file} but ${t.tr} s in ${t.file}; all runs must share one TR.`);
    }
    const runs: RunEvents[] = files[s].runs.map((r) => ({ task: r.task, run: r.run, file: r.events as string, events: readEvents(r.events as string) }));
    if (reference === null) {
      reference = { subject: s, runs };
      continue;
    }
    const ref = reference;
    if (runs.length !== ref.runs.length || runs.some((r, i) => r.task !== ref.runs[i].task || r.run !== ref.runs[i].run)) {
      fail('MISMATCH', `${s} has runs ${runs.map((r) => `${r.task}-${r.run}`).join(', ')} but ${ref.subject} has ${ref.runs.map((r) => `${r.task}-${r.run}`).join(', ')}; the stimulus schedule is shared by all subjects.`);
    }
    runs.forEach((r, i) => {
      const a = r.events;
      const b = ref.runs[i].events;
      const diff = a.length !== b.length ? 0 : a.findIndex((e, k) => e.clipId !== b[k].clipId || e.onset !== b[k].onset || e.start !== b[k].start || e.end !== b[k].end);
      if (a.length !== b.length || diff >= 0) {
        fail('MISMATCH', `${r.file} differs from ${ref.runs[i].file}${a.length !== b.length ? ` (${a.length} vs ${b.length} events)` : ` at event ${diff + 1} (${a[diff].clipId} vs ${b[diff].clipId})`}; the stimulus schedule is shared by all subjects.`);
      }
    });
  }
  if (reference === null || tr === null) {
    fail('NOT_FOUND', `no _events.tsv files under ${abs}/sub-*/func/; the clip schedule comes from them (sub-XXX_task-Training_run-01_events.tsv, …).`);
  }
  const { schedule, clips } = buildSchedule(reference.runs, tr.tr);
  return { root: abs, subjects, clips, tr: tr.tr, schedule, files };
}
