import { Worker } from 'node:worker_threads';
import { fail } from '../errors.ts';
import { threadBudget } from '../threads.ts';
import { runRenderJob, type RenderJob, type RenderJobOptions, type RenderJobResult } from './renderJob.ts';

export interface RenderClipsOptions extends RenderJobOptions {
  /** Worker threads (default: all cores); 1 renders in this thread. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

type WorkerMessage = { ready: true } | { index: number; result: RenderJobResult } | { index: number; error: string };

/**
 * renderClips(jobs, opts) → one result per job, in job order. Renders in parallel on
 * `worker_threads` (each loads the SoundFont once), skipping files that exist (resumable: files
 * are written atomically, so an interrupted run leaves no half file). Results do not depend on
 * the number of workers.
 */
export async function renderClips(jobs: readonly RenderJob[], opts: RenderClipsOptions): Promise<RenderJobResult[]> {
  const nWorkers = Math.max(1, Math.min(opts.workers ?? threadBudget(), jobs.length));
  const results: RenderJobResult[] = new Array(jobs.length);
  let done = 0;
  opts.onProgress?.(0, jobs.length);
  if (nWorkers <= 1) {
    for (let i = 0; i < jobs.length; i++) {
      results[i] = await runRenderJob(jobs[i], opts);
      done++;
      opts.onProgress?.(done, jobs.length);
    }
    return results;
  }
  // Compiled (dist/), a worker loads renderWorker.js directly. From the sources, workers do not
  // inherit tsx's loader when it was registered through its API (bin/brain2music.js), so each
  // worker registers it before importing the TypeScript module.
  const compiled = import.meta.url.endsWith('.js');
  const url = new URL(compiled ? './renderWorker.js' : './renderWorker.ts', import.meta.url);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  const workerData: RenderJobOptions = { sampleRate: opts.sampleRate, featureSegmentSec: opts.featureSegmentSec };
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      let finished = 0;
      let failed = false;
      const feed = (w: Worker): void => {
        if (next < jobs.length) {
          const index = next++;
          w.postMessage({ index, job: jobs[index] });
        } else {
          w.postMessage(null);
        }
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = compiled ? new Worker(url, { workerData }) : new Worker(boot, { eval: true, workerData });
        workers.push(w);
        w.on('message', (m: WorkerMessage) => {
          if (failed) return;
          if ('ready' in m) return feed(w);
          if ('error' in m) {
            failed = true;
            rejectPool(new Error(`rendering ${jobs[m.index].path} failed: ${m.error}`));
            return;
          }
          results[m.index] = m.result;
          done++;
          opts.onProgress?.(done, jobs.length);
          feed(w);
        });
        w.on('error', (err) => {
          if (!failed) {
            failed = true;
            rejectPool(err);
          }
        });
        w.on('exit', (code) => {
          finished++;
          if (failed) return;
          if (code !== 0) {
            failed = true;
            rejectPool(new Error(`a render worker exited with code ${code}`));
          } else if (finished === nWorkers) {
            if (done === jobs.length) resolvePool();
            else rejectPool(new Error(`render workers exited with ${jobs.length - done} clips left`));
          }
        });
      }
    });
  } catch (err) {
    fail('INTERNAL', `Rendering clips failed: ${(err as Error).message}`, err);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
