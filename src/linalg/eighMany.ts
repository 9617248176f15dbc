import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { eigh, type EighResult } from './eigh.ts';

/** Below this size the worker start-up (≈ 0.3 s) costs more than it saves. */
const PARALLEL_MIN_N = 192;

/**
 * Eigendecompositions of several symmetric matrices (see {@link eigh}), run in parallel on up to
 * `threads` worker threads (default: the number of cores) when they are big enough to pay for
 * it, else one after the other on this thread. Results are identical either way.
 */
export async function eighMany(mats: { a: Float64Array; n: number }[], opts: { threads?: number } = {}): Promise<EighResult[]> {
  const threads = Math.min(opts.threads ?? availableParallelism(), mats.length);
  const big = mats.filter((m) => m.n >= PARALLEL_MIN_N).length;
  if (threads < 2 || big < 2) return mats.map((m) => eigh(m.a, m.n));
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
