// Worker side of eighMany: receives { id, a, n } messages, answers { id, values, vectors } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { eigh } from './eigh.ts';

parentPort?.on('message', (msg: { id: number; a: Float64Array; n: number }) => {
  try {
    // the workers already run in parallel: one thread each, no kernel helper threads
    const { values, vectors } = eigh(msg.a, msg.n, { threads: 1 });
    parentPort?.postMessage({ id: msg.id, values, vectors }, [values.buffer as ArrayBuffer, vectors.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
