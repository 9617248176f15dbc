import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { readManifest, type StageName } from '../../run/index.ts';
import { squeue } from './slurmCommands.ts';

/** One stage's job array as submitted: task i ran `units[i]` and wrote `logs[i]`. */
export interface SubmittedStage {
  stage: StageName;
  jobId: string;
  units: string[];
  logs: string[];
  /** Jobs (or array tasks) it waited for. */
  dependsOn: string[];
  script: string;
}

/** One `run --executor slurm` invocation. */
export interface SlurmSubmission {
  at: string;
  config: string;
  jobs: SubmittedStage[];
}

/** `RUN/.slurm/submissions.json`: every submission to the cluster, oldest first. */
export function submissionsFile(runDir: string): string {
  return join(runDir, '.slurm', 'submissions.json');
}

export function readSubmissions(runDir: string): SlurmSubmission[] {
  const file = submissionsFile(runDir);
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SlurmSubmission[];
  } catch (err) {
    return fail('BAD_FILE', `${file} is not valid JSON (${(err as Error).message}); delete it if no job of this run is queued (squeue), then submit again.`);
  }
}

/** Where each submitted unit's latest job is: unit → its job, task and log. */
function latestJobs(runDir: string): Map<string, { jobId: string; task: number; log: string; at: string }> {
  const out = new Map<string, { jobId: string; task: number; log: string; at: string }>();
  for (const s of readSubmissions(runDir)) {
    for (const j of s.jobs) j.units.forEach((u, task) => out.set(u, { jobId: j.jobId, task, log: j.logs[task]!, at: s.at }));
  }
  return out;
}

/** Units of the run whose latest job is still pending or running: unit → `jobId_task`. */
export function activeUnits(runDir: string): Map<string, string> {
  const jobs = latestJobs(runDir);
  const queued = squeue([...new Set([...jobs.values()].map((j) => j.jobId))]);
  const out = new Map<string, string>();
  for (const [unit, j] of jobs) {
    if (queued.some((q) => q.jobId === j.jobId && (q.task === undefined || q.task === j.task))) out.set(unit, `${j.jobId}_${j.task}`);
  }
  return out;
}

/** A unit's state in a status table. */
export interface UnitStatus {
  unit: string;
  /** pending/running (squeue), done, reused, not-run, failed, or did-not-finish (gone from the queue without a record). */
  state: string;
  job?: string;
  log?: string;
  note?: string;
}

/**
 * The state of every unit of a run folder: queued and running ones from squeue, the others from
 * their record in run.json; a unit submitted to the cluster that left the queue without writing
 * a record since (cancelled, killed, out of time or memory, or cancelled because a unit it
 * depended on failed) is `did-not-finish`.
 * @param only a submission: just its units (default: every unit the run has a record or a job for)
 */
export function unitReport(runDir: string, only?: SlurmSubmission): UnitStatus[] {
  const manifest = readManifest(runDir);
  const jobs = latestJobs(runDir);
  const units = only ? only.jobs.flatMap((j) => j.units) : [...new Set([...Object.keys(manifest?.units ?? {}), ...jobs.keys()])];
  const queued = jobs.size > 0 ? squeue([...new Set([...jobs.values()].map((j) => j.jobId))]) : [];
  return units.map((unit) => {
    const j = jobs.get(unit);
    const r = manifest?.units?.[unit];
    const job = j ? `${j.jobId}_${j.task}` : undefined;
    const q = j && queued.find((x) => x.jobId === j.jobId && (x.task === undefined || x.task === j.task));
    if (q) return { unit, state: q.state.toLowerCase(), job, log: j!.log, ...(q.reason && q.reason !== 'None' ? { note: q.reason } : {}) };
    const fresh = r && (!j || (r.finishedAt ?? '') >= j.at);
    if (!fresh) return { unit, state: j ? 'did-not-finish' : 'not recorded', job, log: j?.log, note: j ? 'cancelled, killed, out of time or memory, or a unit it needs failed' : undefined };
    const state = r.status === 'done' && r.reused ? 'reused' : r.status;
    const note = r.status === 'failed' ? r.error : r.status === 'not-run' ? r.reason : r.seconds !== undefined ? `${r.seconds.toFixed(1)} s` : undefined;
    return { unit, state, job, log: j?.log, ...(note ? { note } : {}) };
  });
}

/** `brain2music status RUN`: one line per unit. */
export function formatStatus(rows: readonly UnitStatus[]): string[] {
  if (rows.length === 0) return ['  (no units recorded in this run folder yet)'];
  const w = (f: (r: UnitStatus) => string) => Math.max(...rows.map((r) => f(r).length));
  const [wu, ws, wj] = [w((r) => r.unit), w((r) => r.state), w((r) => r.job ?? '')];
  return rows.map((r) => `  ${r.unit.padEnd(wu)}  ${r.state.padEnd(ws)}  ${(r.job ?? '').padEnd(wj)}  ${r.note ?? ''}${r.log ? `  log ${r.log}` : ''}`.trimEnd());
}
