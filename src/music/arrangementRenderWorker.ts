// Worker side of createArrangementRenderer: renders one arrangement per task and sends the samples back.
import { serveWorkerTasks } from '../workerPool.ts';
import type { RenderTask } from './arrangementRenderer.ts';
import { renderArrangement } from './renderArrangement.ts';

serveWorkerTasks<RenderTask, Float32Array>(async ({ arrangement, opts }) => {
  const samples = await renderArrangement(arrangement, opts);
  return { value: samples, transfer: [samples.buffer as ArrayBuffer] };
});
