import { spawnSync } from 'node:child_process';
import { fail } from '../../errors.ts';

/** Runs one of Slurm's own commands and returns its stdout; a missing command or a refusal is a clear error. */
function slurm(command: string, args: readonly string[], emptyWhen?: RegExp): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    fail(missing ? 'UNSUPPORTED' : 'INTERNAL', missing
      ? `Slurm's ${command} is not on PATH; run brain2music on a node of the cluster (a login node), or use --executor local.`
      : `${command} could not be started: ${r.error.message}.`);
  }
  if (r.status !== 0 && emptyWhen?.test(r.stderr)) return '';
  if (r.status !== 0) fail('BAD_INPUT', `${command} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}; check the "slurm" resources of the configuration (partition, account, mem, time).`);
  return r.stdout;
}

/** `sbatch --parsable ARGS SCRIPT`: the job id. */
export function sbatch(args: readonly string[], script: string): string {
  const out = slurm('sbatch', ['--parsable', ...args, script]).trim();
  const id = out.split(';')[0]!; // "id" or "id;cluster"
  if (!/^\d+$/.test(id)) fail('INTERNAL', `sbatch printed '${out}' instead of a job id.`);
  return id;
}

/** A job (or array task) squeue still lists: `123_4`, its state and the reason it waits. */
export interface QueuedJob {
  id: string;
  /** The array job's id (`123` of `123_4`). */
  jobId: string;
  /** The array task index, when it is one. */
  task?: number;
  state: string;
  reason: string;
}

/** The jobs among `jobIds` (and their array tasks, one line each) that are still pending or running. */
export function squeue(jobIds: readonly string[]): QueuedJob[] {
  if (jobIds.length === 0) return [];
  const out = slurm('squeue', ['--noheader', '--array', '--format=%i|%T|%r', `--jobs=${jobIds.join(',')}`], /Invalid job id/i); // jobs that ended long ago are forgotten: none left
  return out.split('\n').filter(Boolean).map((line) => {
    const [id, state, reason] = line.trim().split('|') as [string, string, string];
    const m = /^(\d+)_(\d+)$/.exec(id);
    return { id, jobId: m ? m[1]! : id.replace(/_.*/, ''), ...(m ? { task: Number(m[2]) } : {}), state, reason };
  });
}

/** `scancel IDS`. */
export function scancel(ids: readonly string[]): void {
  if (ids.length > 0) slurm('scancel', ids);
}
