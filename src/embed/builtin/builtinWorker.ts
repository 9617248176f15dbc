// Worker side of the parallel builtin embedder: receives { id, windows }, answers { id, out } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { createBuiltinEmbedder } from './builtinEmbedder.ts';

const embedder = createBuiltinEmbedder();

parentPort?.on('message', (msg: { id: number; windows: Float32Array[] }) => {
  embedder.embed(msg.windows).then(
    (out) => parentPort?.postMessage({ id: msg.id, out }, [out.buffer as ArrayBuffer]),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
