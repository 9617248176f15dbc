import { Worker } from 'node:worker_threads';
import { threadBudget } from '../../threads.ts';
import type { Embedder } from '../embedder.ts';
import { createBuiltinEmbedder } from './builtinEmbedder.ts';

/**
 * The builtin embedder on `threads` worker threads (default: the thread budget): each call's
 * windows are split into contiguous parts, one per worker, and the vectors put back in order,
 * so the result is bit-identical to {@link createBuiltinEmbedder}'s (the same functions run).
 * The model is pure TypeScript on one thread; a clip's windows are independent, so this is how it
 * uses the other cores. Workers start on the first call with two or more windows and never keep
 * the process alive; a worker that cannot start or fails leaves the call to this thread.
 */
export function createParallelBuiltinEmbedder(threads = threadBudget()): Embedder {
  const local = createBuiltinEmbedder();
  if (threads < 2) return local;
  let workers: Worker[] | null = null;
  let broken = false;
  let nextId = 0;
  // calls out per worker: ref() / unref() are a switch, not a count
  const busy = new Map<Worker, number>();
  const hold = (w: Worker, d: 1 | -1) => {
    const n = (busy.get(w) ?? 0) + d;
    busy.set(w, n);
    if (n > 0) w.ref();
    else w.unref();
  };
  const start = (): Worker[] | null => {
    if (workers || broken) return workers;
    try {
      // compiled (dist/), the worker body is plain builtinWorker.js; from the sources the .mjs entry registers tsx first
      const entry = import.meta.url.endsWith('.js') ? './builtinWorker.js' : './builtinWorker.mjs';
      workers = Array.from({ length: threads }, () => {
        const w = new Worker(new URL(entry, import.meta.url));
        w.unref();
        return w;
      });
    } catch {
      broken = true;
    }
    return workers;
  };
  const run = (w: Worker, windows: Float32Array[]): Promise<Float32Array> => new Promise((resolve, reject) => {
    const id = nextId++;
    // held while a call is out (an idle worker must not keep the process alive, a busy one must)
    hold(w, 1);
    const onMessage = (msg: { id: number; out?: Float32Array; error?: string }) => {
      if (msg.id !== id) return;
      w.off('message', onMessage);
      w.off('error', onError);
      hold(w, -1);
      if (msg.out) resolve(msg.out);
      else reject(new Error(msg.error ?? 'no result'));
    };
    const onError = (err: Error) => {
      w.off('message', onMessage);
      hold(w, -1);
      reject(err);
    };
    w.on('message', onMessage);
    w.once('error', onError);
    w.postMessage({ id, windows });
  });
  return {
    ...local,
    async embed(windows: Float32Array[]): Promise<Float32Array> {
      const pool = windows.length >= 2 ? start() : null;
      if (!pool) return local.embed(windows);
      const parts = Math.min(pool.length, windows.length);
      const size = Math.ceil(windows.length / parts);
      try {
        const outs = await Promise.all(Array.from({ length: parts }, (_, k) => run(pool[k]!, windows.slice(k * size, (k + 1) * size))));
        const out = new Float32Array(windows.length * local.dim);
        let at = 0;
        for (const o of outs) { out.set(o, at); at += o.length; }
        return out;
      } catch {
        // a worker that crashed: this thread does the call (a bad window then throws its own error)
        broken = true;
        workers?.forEach((w) => void w.terminate());
        workers = null;
        return local.embed(windows);
      }
    },
    async dispose(): Promise<void> {
      const ws = workers;
      workers = null;
      await Promise.all((ws ?? []).map((w) => w.terminate()));
    },
  };
}
