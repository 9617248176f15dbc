import { threadBudget } from '../threads.ts';
import { startWorkerPool, workerModule, type WorkerPool } from '../workerPool.ts';
import type { Arrangement } from './arrangement.ts';
import { renderArrangement, type RenderOptions } from './renderArrangement.ts';

/** Renders arrangements to audio in memory, `threads` at a time. */
export interface ArrangementRenderer {
  /** How many renders run side by side. */
  readonly threads: number;
  /** The same samples as {@link renderArrangement} (the same code runs in a worker). */
  render(arrangement: Arrangement, opts?: RenderOptions): Promise<Float32Array>;
  close(): Promise<void>;
}

export interface RenderTask {
  arrangement: Arrangement;
  opts: RenderOptions;
}

/**
 * createArrangementRenderer(threads) → renders on `threads` worker threads (default: the thread
 * budget; each loads the SoundFont once), or in this thread when `threads` is 1. The synthesizer is
 * single-threaded JavaScript, so concurrent renders are how generation uses the other cores.
 */
export function createArrangementRenderer(threads = threadBudget()): ArrangementRenderer {
  if (threads < 2) return { threads: 1, render: (a, opts) => renderArrangement(a, opts), close: async () => {} };
  let pool: WorkerPool<RenderTask, Float32Array> | undefined;
  return {
    threads,
    render(arrangement, opts = {}) {
      pool ??= startWorkerPool(workerModule(import.meta.url, 'arrangementRenderWorker'), threads);
      return pool.run({ arrangement, opts });
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
