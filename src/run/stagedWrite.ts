import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commitOutputs } from './commitOutputs.ts';
import { withRunLock } from './lock.ts';

/**
 * Runs `work(outDir)` holding the run folder's lock, with `outDir` a fresh staging folder in the
 * run folder's layout, then moves the declared `outputs` into place (see {@link commitOutputs}).
 * A failure leaves the run folder as it was: nothing half-written, earlier outputs untouched, and
 * a run folder this call created removed again. This is how a stage command run on its own
 * (`brain2music decode`, …) writes; the pipeline stages its work the same way.
 * @param writer who writes, for messages and the staging folder's name
 */
export async function stagedWrite<T>(runDir: string, writer: string, work: (outDir: string) => Promise<T>, outputs: (result: T) => readonly string[]): Promise<T> {
  const created = !existsSync(runDir);
  try {
    return await withRunLock(runDir, async () => {
      const staging = join(runDir, '.staging', `${writer.replace(/[^A-Za-z0-9_-]+/g, '-')}-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        const result = await work(staging);
        commitOutputs(writer, staging, runDir, outputs(result));
        return result;
      } finally {
        rmSync(staging, { recursive: true, force: true });
        const stagingRoot = join(runDir, '.staging');
        if (existsSync(stagingRoot) && readdirSync(stagingRoot).length === 0) rmSync(stagingRoot, { recursive: true, force: true });
      }
    });
  } catch (err) {
    if (created && existsSync(runDir) && readdirSync(runDir).length === 0) rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}
