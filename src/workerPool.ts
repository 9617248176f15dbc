import { Worker, parentPort, workerData } from 'node:worker_threads';
import { Brain2MusicError, type ErrorCode } from './errors.ts';

/** A task's failure as it crosses threads: the message, and the code when it was a Brain2MusicError. */
interface WireError {
  message: string;
  code?: ErrorCode;
}

type Reply<R> = { id: number; value: R } | { id: number; error: WireError };

/** Worker threads that each answer one task at a time; tasks queue, replies come back by promise. */
export interface WorkerPool<T, R> {
  readonly size: number;
  /** Runs `task` on the next free worker; rejects with the worker's own error (a Brain2MusicError keeps its code). */
  run(task: T, transfer?: ArrayBuffer[]): Promise<R>;
  /** Stops every worker (queued tasks reject). */
  close(): Promise<void>;
}

/**
 * The URL of worker module `name` next to `base` (a module's import.meta.url): the compiled .js
 * under dist/, the .ts from the sources.
 */
export function workerModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.js') ? '.js' : '.ts'}`, base);
}

/**
 * Starts `size` workers on `module` (see {@link workerModule}) with `data` as their workerData.
 * From the sources, workers do not inherit tsx's loader when it was registered through its API
 * (bin/brain2music.js), so each one registers it before importing the TypeScript module.
 * Idle workers never keep the process alive. A worker that dies fails its task and the pool.
 */
export function startWorkerPool<T, R>(module: URL, size: number, data?: unknown): WorkerPool<T, R> {
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(module.href)}); });`;
  const workers = Array.from({ length: size }, () => (module.pathname.endsWith('.ts') ? new Worker(boot, { eval: true, workerData: data }) : new Worker(module, { workerData: data })));
  const idle = [...workers];
  const queue: { task: T; transfer: ArrayBuffer[]; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  const pending = new Map<Worker, { id: number; resolve: (r: R) => void; reject: (e: unknown) => void }>();
  let nextId = 0;
  let broken: Error | null = null;
  const fault = (err: Error): void => {
    broken ??= err;
    for (const [w, p] of pending) {
      pending.delete(w);
      p.reject(err);
    }
    for (const q of queue.splice(0)) q.reject(err);
  };
  const dispatch = (): void => {
    while (!broken && idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const { task, transfer, resolve, reject } = queue.shift()!;
      const id = nextId++;
      pending.set(w, { id, resolve, reject });
      w.ref(); // a busy worker keeps the process alive, an idle one must not
      w.postMessage({ id, task }, transfer);
    }
  };
  for (const w of workers) {
    w.on('message', (msg: Reply<R>) => {
      const p = pending.get(w);
      if (!p || p.id !== msg.id) return;
      pending.delete(w);
      w.unref();
      idle.push(w);
      if ('error' in msg) p.reject(msg.error.code ? new Brain2MusicError(msg.error.code, msg.error.message) : new Error(msg.error.message));
      else p.resolve(msg.value);
      dispatch();
    });
    w.on('error', (err) => fault(err));
    w.on('exit', (code) => { if (pending.has(w)) fault(new Error(`a worker thread exited (code ${code}) during its task`)); });
    // after the listeners: adding a 'message' listener refs the worker's port again
    w.unref();
  }
  return {
    size,
    run(task, transfer = []) {
      if (broken) return Promise.reject(broken);
      return new Promise<R>((resolve, reject) => {
        queue.push({ task, transfer, resolve, reject });
        dispatch();
      });
    },
    async close() {
      fault(new Error('the worker pool was closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The worker side of {@link startWorkerPool}: answers each task with `handle(task, workerData)`;
 * `handle` returns the value and the buffers to transfer back.
 */
export function serveWorkerTasks<T, R>(handle: (task: T, data: unknown) => Promise<{ value: R; transfer?: ArrayBuffer[] }>): void {
  parentPort?.on('message', (msg: { id: number; task: T }) => {
    handle(msg.task, workerData).then(
      ({ value, transfer }) => parentPort?.postMessage({ id: msg.id, value }, transfer ?? []),
      (err: unknown) => {
        const error: WireError = err instanceof Brain2MusicError ? { message: err.message, code: err.code } : { message: err instanceof Error ? err.message : String(err) };
        parentPort?.postMessage({ id: msg.id, error });
      },
    );
  });
}

/** mapConcurrent(items, limit, fn) → fn over every item, at most `limit` calls outstanding, results in item order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
