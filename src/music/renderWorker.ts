// Worker thread of `renderClips`: renders jobs one at a time as the parent sends them.
import { parentPort, workerData } from 'node:worker_threads';
import { runRenderJob, type RenderJob, type RenderJobOptions } from './renderJob.ts';

const opts = workerData as RenderJobOptions;
const port = parentPort;
if (port) {
  port.on('message', (msg: { index: number; job: RenderJob } | null) => {
    if (msg === null) {
      port.close();
      return;
    }
    runRenderJob(msg.job, opts).then(
      (result) => port.postMessage({ index: msg.index, result }),
      (err: unknown) => port.postMessage({ index: msg.index, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }),
    );
  });
  port.postMessage({ ready: true });
}
