// Helper thread of the WebAssembly kernels (src/linalg/wasm/kernels.ts). Plain JavaScript so it
// starts without the TypeScript loader. It instantiates the same compiled module on the same
// shared memory, then serves one call at a time through the control block (Int32 words):
// 0 request number, 1 number of the last request done, 2 export index, 3 argument count,
// 4 ready flag, 5 error flag; float64 arguments from byte 64 on. The caller blocks until word 1
// equals its request number, so the kernels never run concurrently with a request they depend on.
import { workerData } from 'node:worker_threads';

const { module, memory, names, ctrl } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((name) => instance.exports[name]);
const words = new Int32Array(memory.buffer, ctrl, 16);
const args = new Float64Array(memory.buffer, ctrl + 64, 16);
Atomics.store(words, 4, 1);
let seen = 0;
for (;;) {
  // the timeout only bounds how long a terminating process waits for this thread
  Atomics.wait(words, 0, seen, 1000);
  const request = Atomics.load(words, 0);
  if (request === seen) continue;
  seen = request;
  try {
    fns[words[2]](...args.subarray(0, words[3]));
    words[5] = 0;
  } catch {
    words[5] = 1;
  }
  Atomics.store(words, 1, request);
  Atomics.notify(words, 1);
}
