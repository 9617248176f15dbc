import { hostname } from 'node:os';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail } from '../errors.ts';

/** Who holds a lock file: `pid@host`. */
interface Holder {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `lock` holding `pid@host` in one step: the content is written to a file of its own and
 * hard-linked to the lock's name, which fails when the lock exists (a reader never sees a lock
 * without its holder, and link is atomic on NFS too).
 * @returns false when the lock exists
 */
function createLock(lock: string): boolean {
  const tmp = `${lock}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, `${process.pid}@${hostname()}`);
  try {
    linkSync(tmp, lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes a stale lock so that only one of several processes that found it stale does: it is
 * first renamed to a name of this process's own (one rename wins), then checked again.
 */
function removeStale(lock: string, staleAfterMs: number | undefined): void {
  const mine = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, mine);
  } catch {
    return; // another process took it away first
  }
  if (!stale(mine, staleAfterMs)) {
    // a live holder re-created it between the check and the rename: give it back
    try {
      linkSync(mine, lock);
    } catch {
      // the lock exists again: its new holder keeps it
    }
  }
  rmSync(mine, { force: true });
}

function readHolder(lock: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return undefined;
  }
  // `pid` (older run folders) or `pid@host`
  const [pid, host] = text.trim().split('@');
  return { pid: Number(pid), host: host ?? hostname() };
}

/**
 * True when the holder of `lock` is gone: a process of this host that no longer runs, or (a
 * holder on another node of a cluster, whose process cannot be asked) a lock not touched for
 * `staleAfterMs`.
 */
function stale(lock: string, staleAfterMs: number | undefined): boolean {
  const h = readHolder(lock);
  if (!h) return false; // released meanwhile: retry
  if (h.host === hostname()) return !(Number.isInteger(h.pid) && h.pid > 0 && alive(h.pid));
  if (staleAfterMs === undefined) return false;
  try {
    return Date.now() - statSync(lock).mtimeMs > staleAfterMs;
  } catch {
    return false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread (the critical sections are a few milliseconds of file I/O). */
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Options of {@link lockFile}. */
export interface LockOptions {
  /** Wait up to this long for a live holder to release it (default 0: fail at once). */
  waitMs?: number;
  /** A holder on another host counts as gone after this long without touching the lock (default: never). */
  staleAfterMs?: number;
  /** The message when the lock stays held: says who holds it and what to do. */
  busy: (holder: string) => string;
}

/**
 * Takes the lock file `lock` (created exclusively, holding `pid@host`); a lock whose holder is
 * gone (killed, crashed) is taken over. Works on a folder shared between the nodes of a cluster:
 * exclusive creation is atomic on NFSv3+ and local file systems alike.
 * @returns a function that releases the lock
 * @throws BAD_INPUT (`opts.busy`) when a live holder keeps it past `waitMs`
 */
export function lockFile(lock: string, opts: LockOptions): () => void {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (let delay = 2; ; delay = Math.min(2 * delay, 100)) {
    if (createLock(lock)) return () => rmSync(lock, { force: true });
    if (stale(lock, opts.staleAfterMs)) {
      removeStale(lock, opts.staleAfterMs);
      continue;
    }
    if (Date.now() >= deadline) {
      const h = readHolder(lock);
      fail('BAD_INPUT', opts.busy(h ? `pid ${h.pid} on ${h.host}` : 'another process'));
    }
    sleepMs(delay);
  }
}

/**
 * withFileLock(lock, work) runs `work` (synchronous, short) holding `lock`, waiting for other
 * writers of the same shared file: the read-modify-write of `run.json` and `metrics.json` by units
 * that finish at the same moment.
 */
export function withFileLock<T>(lock: string, work: () => T): T {
  const release = lockFile(lock, {
    waitMs: 120_000,
    staleAfterMs: 120_000,
    busy: (holder) => `${lock} has been held by ${holder} for 2 minutes; if no brain2music process runs on that run folder, delete the file.`,
  });
  try {
    return work();
  } finally {
    release();
  }
}

/**
 * Takes `RUN/.lock` (holding this process id) so two processes never write one run folder at
 * once; a lock left by a process that no longer runs (killed, crashed) is taken over.
 * @returns a function that releases the lock
 * @throws BAD_INPUT when another live process holds it
 */
export function lockRun(runDir: string): () => void {
  return lockFile(join(runDir, '.lock'), {
    busy: (holder) => `run folder ${runDir} is in use by another brain2music process (${holder}); wait for it to finish, or use another "out" folder.`,
  });
}

/**
 * withRunLock(runDir, work) runs `work` holding `RUN/.lock` (creating the folder if needed), so a
 * stage command run on its own (`decode`, `encode`, `generate`) and a pipeline never update one
 * run folder's shared files (`metrics.json`) at the same time.
 */
export async function withRunLock<T>(runDir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(runDir, { recursive: true });
  const release = lockRun(runDir);
  try {
    return await work();
  } finally {
    release();
  }
}
