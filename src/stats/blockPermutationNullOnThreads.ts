import { sliceCols, type Matrix } from '../linalg/index.ts';
import { threadBudget } from '../threads.ts';
import { startWorkerPool, workerModule } from '../workerPool.ts';
import { blockPermutationNull, type BlockPermutationOptions, type PermutationNullResult } from './blockPermutationNull.ts';

/** Below this many null values (nPerm × voxels) the workers' start-up and copies outweigh the split. */
const MIN_NULL_VALUES = 2e7;

export interface BlockNullTask {
  observed: Matrix;
  predicted: Matrix;
  opts: Omit<BlockPermutationOptions, 'onProgress'>;
}

/**
 * blockPermutationNullOnThreads(observed, predicted, opts) → {@link blockPermutationNull}'s
 * result, bit for bit, computed on `threads` worker threads (default: the thread budget), each
 * taking a contiguous range of voxels: every voxel's null, count and tail fit are its own, and the
 * permutations are drawn from the seed alone, so the split changes nothing. Small nulls (under
 * 2·10⁷ null values), one thread, or `onProgress` run in this thread.
 */
export async function blockPermutationNullOnThreads(observed: Matrix, predicted: Matrix, opts: BlockPermutationOptions = {}, run: { threads?: number; minNullValues?: number } = {}): Promise<PermutationNullResult> {
  const V = observed.cols;
  const nPerm = opts.nPerm ?? 1000;
  const parts = Math.min(run.threads ?? threadBudget(), V);
  if (parts < 2 || opts.onProgress || nPerm * V < (run.minNullValues ?? MIN_NULL_VALUES) || predicted.cols !== V || predicted.rows !== observed.rows) {
    return blockPermutationNull(observed, predicted, opts);
  }
  const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((i * V) / parts));
  const pool = startWorkerPool<BlockNullTask, PermutationNullResult>(workerModule(import.meta.url, 'blockNullWorker'), parts);
  try {
    const results = await Promise.all(bounds.slice(0, -1).map((c0, i) => {
      const task: BlockNullTask = { observed: sliceCols(observed, c0, bounds[i + 1]!), predicted: sliceCols(predicted, c0, bounds[i + 1]!), opts };
      return pool.run(task, [task.observed.data.buffer as ArrayBuffer, task.predicted.data.buffer as ArrayBuffer]);
    }));
    const keep = results[0]!.nullR !== null;
    const out: PermutationNullResult = {
      r: new Float64Array(V), p: new Float64Array(V), pEmpirical: new Float64Array(V), pSource: new Uint8Array(V),
      nullR: keep ? new Float32Array(nPerm * V) : null, nPerm: results[0]!.nPerm, pTail: results[0]!.pTail,
    };
    results.forEach((res, i) => {
      const c0 = bounds[i]!;
      out.r.set(res.r, c0);
      out.p.set(res.p, c0);
      out.pEmpirical.set(res.pEmpirical, c0);
      out.pSource.set(res.pSource, c0);
      const w = bounds[i + 1]! - c0;
      if (out.nullR && res.nullR) for (let k = 0; k < nPerm; k++) out.nullR.set(res.nullR.subarray(k * w, (k + 1) * w), k * V + c0);
    });
    return out;
  } finally {
    await pool.close();
  }
}
