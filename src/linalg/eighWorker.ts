// Worker side of eighMany: one eigendecomposition per task, on this thread alone.
import { serveWorkerTasks } from '../workerPool.ts';
import { eigh, type EighResult } from './eigh.ts';
import type { EighTask } from './eighMany.ts';

serveWorkerTasks<EighTask, EighResult>(async ({ a, n }) => {
  // the workers already run in parallel: one thread each, no kernel helper threads
  const res = eigh(a, n, { threads: 1 });
  return { value: res, transfer: [res.values.buffer as ArrayBuffer, res.vectors.buffer as ArrayBuffer] };
});
