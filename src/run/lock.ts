import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `RUN/.lock` (holding this process id) so two processes never write one run folder at
 * once; a lock left by a process that no longer runs (killed, crashed) is taken over.
 * @returns a function that releases the lock
 * @throws BAD_INPUT when another live process holds it
 */
export function lockRun(runDir: string): () => void {
  const lock = join(runDir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        fail('BAD_INPUT', `run folder ${runDir} is in use by another brain2music process (pid ${pid}); wait for it to finish, or use another "out" folder.`);
      }
      rmSync(lock, { force: true }); // stale: its process is gone
    }
  }
  return fail('INTERNAL', `could not take the lock ${lock}.`);
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
