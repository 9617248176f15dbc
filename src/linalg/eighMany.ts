import { Brain2MusicError } from '../errors.ts';
import { threadBudget } from '../threads.ts';
import { startWorkerPool, workerModule, type WorkerPool } from '../workerPool.ts';
import { eigh, type EighResult } from './eigh.ts';

/** One matrix of an {@link eighMany} batch, as a worker receives it. */
export interface EighTask {
  a: Float64Array;
  n: number;
}

/**
 * Batches with at least this much work (Σ n³) start the pool of eigensolver threads, and run on
 * it once it is up: below n ≈ 1,000 eigh gains little from its kernel helper thread (n = 512:
 * 62 ms on one thread, 55-62 ms on two), so whole decompositions on separate threads go nearly
 * twice as fast. The pool is started once per process (0.3 s from the sources: each worker loads
 * the TypeScript loader) and kept; its idle threads never keep the process alive.
 */
const POOL_MIN_WORK = 4 * 400 ** 3;

/** The process's pool; `workers` null when its threads could not be started. */
let pool: { size: number; workers: WorkerPool<EighTask, EighResult> | null; ready: boolean; broken: boolean } | null = null;

/** The pool of `size` eigensolver threads, started (without waiting) on first use; null while it is starting or when it failed. */
function readyPool(size: number): WorkerPool<EighTask, EighResult> | null {
  if (pool && pool.size !== size && !pool.broken) {
    void pool.workers?.close();
    pool = null;
  }
  if (!pool) {
    let workers: WorkerPool<EighTask, EighResult>;
    try {
      workers = startWorkerPool<EighTask, EighResult>(workerModule(import.meta.url, 'eighWorker'), size);
    } catch {
      pool = { size, workers: null, ready: false, broken: true };
      return null;
    }
    const started = { size, workers, ready: false, broken: false };
    pool = started;
    // one tiny task per worker: the pool is ready once every worker has answered
    Promise.all(Array.from({ length: size }, () => workers.run({ a: Float64Array.of(1), n: 1 }))).then(
      () => { started.ready = true; },
      () => { started.broken = true; },
    );
    return null;
  }
  return pool.ready && !pool.broken ? pool.workers : null;
}

/**
 * Eigendecompositions of several symmetric matrices (see {@link eigh}): one after the other on
 * this thread (eigh splitting its large products with its helper thread), or, for batches of
 * enough work, on a pool of `threads` worker threads (default: the thread budget) with one
 * thread each, once that pool is up (the first such batch starts it and runs here). `workers`
 * forces the choice ('always' waits for the pool); results are identical either way.
 */
export async function eighMany(mats: EighTask[], opts: { threads?: number; workers?: 'auto' | 'always' | 'never' } = {}): Promise<EighResult[]> {
  const poolSize = opts.threads ?? threadBudget();
  const threads = Math.min(poolSize, mats.length);
  const work = mats.reduce((s, m) => s + m.n ** 3, 0);
  const mode = opts.workers ?? 'auto';
  const here = () => mats.map((m) => eigh(m.a, m.n, { threads: opts.threads }));
  if (threads < 2 || mode === 'never' || (mode === 'auto' && work < POOL_MIN_WORK)) return here();
  let workers = readyPool(poolSize);
  if (!workers && mode === 'always') {
    for (let i = 0; i < 200 && !workers && !pool?.broken; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      workers = readyPool(poolSize);
    }
  }
  if (!workers) return here();
  try {
    return await Promise.all(mats.map((m) => workers.run(m)));
  } catch (err) {
    // a bad matrix fails on the worker with eigh's own error; a dead pool: the work is done here
    if (err instanceof Brain2MusicError) throw err;
    if (pool?.workers === workers) pool.broken = true;
    return here();
  }
}
