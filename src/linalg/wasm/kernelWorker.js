// Helper thread of the WebAssembly kernels (src/linalg/wasm/kernels.ts). Plain JavaScript, so the
// kernels are up without the TypeScript loader, and the same file runs from src/ and from dist/
// (scripts/build.mjs copies it as a run-time asset). It instantiates the same compiled module on the
// same shared memory, then serves one call at a time through the control block (Int32 words):
// 0 request number, 1 number of the last request done, 2 what to run (an export index, or
// 1000 + a task index), 3 argument count, 4 ready (1: kernels; 2: kernels and tasks), 5 error
// flag; float64 arguments from byte 64 on. The caller blocks until word 1 equals its request
// number, so a call never runs concurrently with one it depends on. Tasks are TypeScript
// functions (float64 view, float32 view, ...numbers) from `tasks`: compiled (dist/), a plain
// import; from the sources (a .ts module), through tsx when it is installed.
import { workerData } from 'node:worker_threads';

const { module, memory, names, ctrl, tasks } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((name) => instance.exports[name]);
const words = new Int32Array(memory.buffer, ctrl, 16);
const args = new Float64Array(memory.buffer, ctrl + 64, 16);
Atomics.store(words, 4, 1);
let taskFns = [];
if (tasks) {
  try {
    if (tasks.url.endsWith('.ts')) {
      const { register } = await import('tsx/esm/api');
      register();
    }
    const mod = await import(tasks.url);
    taskFns = tasks.names.map((name) => mod[tasks.table][name]);
    Atomics.store(words, 4, 2);
  } catch {
    // no TypeScript loader for a .ts module: the caller keeps the tasks on its own thread
  }
}
let views = { f64: new Float64Array(memory.buffer), f32: new Float32Array(memory.buffer) };
let seen = 0;
for (;;) {
  // the timeout only bounds how long a terminating process waits for this thread
  Atomics.wait(words, 0, seen, 1000);
  const request = Atomics.load(words, 0);
  if (request === seen) continue;
  seen = request;
  try {
    const what = words[2];
    const a = args.subarray(0, words[3]);
    if (what < 1000) {
      fns[what](...a);
    } else {
      if (views.f64.byteLength !== memory.buffer.byteLength) views = { f64: new Float64Array(memory.buffer), f32: new Float32Array(memory.buffer) };
      taskFns[what - 1000](views.f64, views.f32, ...a);
    }
    words[5] = 0;
  } catch {
    words[5] = 1;
  }
  Atomics.store(words, 1, request);
  Atomics.notify(words, 1);
}
