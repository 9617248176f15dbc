import { availableParallelism } from 'node:os';
import { fail } from './errors.ts';

/** The environment variable that sets the thread budget when no `--threads` is given. */
export const THREADS_ENV = 'BRAIN2MUSIC_THREADS';

let budget: number | undefined;

function checked(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) fail('BAD_INPUT', `${what} must be a whole number of threads >= 1, got ${n}.`);
  return n;
}

/**
 * threadBudget() → the threads brain2music's parallel work may use at once: ONNX Runtime's
 * intra-op threads, the eigensolver's helper and batch workers, the renderers. Set by
 * `--threads N` (`setThreadBudget`), else by `BRAIN2MUSIC_THREADS`, else every core.
 */
export function threadBudget(): number {
  if (budget !== undefined) return budget;
  const env = process.env[THREADS_ENV];
  return env === undefined || env === '' ? availableParallelism() : checked(Number(env), THREADS_ENV);
}

/** Sets the budget for this process (undefined: back to the environment / every core). Backends created earlier keep theirs. */
export function setThreadBudget(n: number | undefined): void {
  budget = n === undefined ? undefined : checked(n, '--threads');
}
