// Worker side of blockPermutationNullOnThreads: the block null of one range of voxels per task.
import { serveWorkerTasks } from '../workerPool.ts';
import { blockPermutationNull } from './blockPermutationNull.ts';
import type { BlockNullTask } from './blockPermutationNullOnThreads.ts';
import type { PermutationNullResult } from './blockPermutationNull.ts';

serveWorkerTasks<BlockNullTask, PermutationNullResult>(async ({ observed, predicted, opts }) => {
  const res = blockPermutationNull(observed, predicted, opts);
  const transfer = [res.r, res.p, res.pEmpirical, res.pSource, ...(res.nullR ? [res.nullR] : [])].map((a) => a.buffer as ArrayBuffer);
  return { value: res, transfer };
});
