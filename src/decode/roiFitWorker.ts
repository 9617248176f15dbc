// Worker side of fitRoiFits: fits one ROI's ridge decoder per task, on one thread (the workers run side by side).
import { setThreadBudget } from '../threads.ts';
import { serveWorkerTasks } from '../workerPool.ts';
import { fitVoxelDecoder, type VoxelDecoderFit } from './fitVoxelDecoder.ts';
import type { RoiFitShared, RoiFitTask } from './roiFits.ts';

setThreadBudget(1);

serveWorkerTasks<RoiFitTask, VoxelDecoderFit>(async ({ X, p }, data) => {
  const { Y, T, groups, ridge } = data as RoiFitShared;
  return { value: await fitVoxelDecoder(X, p, Y, T, groups, ridge) };
});
