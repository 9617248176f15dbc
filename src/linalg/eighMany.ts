import { Worker } from 'node:worker_threads';
import { threadBudget } from '../threads.ts';
import { eigh, type EighResult } from './eigh.ts';

/**
 * Worker threads only pay for batches with at least this much work (Σ n³): each worker starts
 * the TypeScript loader (0.3 s idle, seconds on a loaded machine), while eigh itself already
 * runs its large products on two threads. Measured with the load average at 14: 6 × n = 500 took
 * 5.9 s on workers against 0.66 s one after the other; 6 × n = 1000, 17 s against 7.8 s.
 */
const WORKER_MIN_WORK = 2 * 2000 ** 3;

/**
 * Eigendecompositions of several symmetric matrices (see {@link eigh}): one after the other on
 * this thread (eigh splitting its large products with its helper thread), or for very large
 * batches on up to `threads` worker threads (default: the number of cores) with one thread
 * each; `workers` forces the choice ('auto' by default). Results are identical either way.
 */
export async function eighMany(mats: { a: Float64Array; n: number }[], opts: { threads?: number; workers?: 'auto' | 'always' | 'never' } = {}): Promise<EighResult[]> {
  const threads = Math.min(opts.threads ?? threadBudget(), mats.length);
  const work = mats.reduce((s, m) => s + m.n ** 3, 0);
  const mode = opts.workers ?? 'auto';
  if (threads < 2 || mode === 'never' || (mode === 'auto' && work < WORKER_MIN_WORK)) return mats.map((m) => eigh(m.a, m.n, { threads: opts.threads }));
  let workers: Worker[];
  try {
    // Compiled (dist/), the worker body is plain eighWorker.js. From the sources, the .mjs entry
    // registers the tsx loader in the worker (it does not inherit it), then loads eighWorker.ts.
    const entry = import.meta.url.endsWith('.js') ? './eighWorker.js' : './eighWorker.mjs';
    workers = Array.from({ length: threads }, () => new Worker(new URL(entry, import.meta.url)));
  } catch {
    return mats.map((m) => eigh(m.a, m.n));
  }
  const results = new Array<EighResult>(mats.length);
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < mats.length) {
          const id = next++;
          const { a, n } = mats[id];
          results[id] = await new Promise<EighResult>((resolve, reject) => {
            const onMessage = (msg: { id: number; values?: Float64Array; vectors?: Float64Array; error?: string }) => {
              w.off('error', onError);
              if (msg.error !== undefined || !msg.values || !msg.vectors) reject(new Error(msg.error ?? 'no result'));
              else resolve({ values: msg.values, vectors: msg.vectors });
            };
            const onError = (err: Error) => {
              w.off('message', onMessage);
              reject(err);
            };
            w.once('message', onMessage);
            w.once('error', onError);
            w.postMessage({ id, a, n });
          });
        }
      }),
    );
  } catch {
    // a worker that cannot start or crashes: do the work here (a bad matrix then throws eigh's own error)
    return mats.map((m) => eigh(m.a, m.n));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
