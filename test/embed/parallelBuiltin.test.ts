import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBuiltinEmbedder, createEmbedder } from '../../src/embed/index.ts';
import { createParallelBuiltinEmbedder } from '../../src/embed/builtin/parallelBuiltinEmbedder.ts';
import { createRng } from '../../src/linalg/index.ts';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

test('the parallel builtin embedder (windows split between worker threads) is bit-identical to the one-thread embedder', async () => {
  const rng = createRng(4);
  const windows = Array.from({ length: 5 }, (_, k) => Float32Array.from({ length: 22050 * 2 }, (_, i) => 0.3 * Math.sin(i * (0.01 + 0.004 * k)) + 0.05 * rng.normal()));
  const one = await createBuiltinEmbedder().embed(windows);
  const pooled = createParallelBuiltinEmbedder(2);
  try {
    assert.deepEqual(bytes(await pooled.embed(windows)), bytes(one), 'five windows over two workers');
    assert.deepEqual(bytes(await pooled.embed(windows.slice(0, 1))), bytes(one.subarray(0, pooled.dim)), 'one window: this thread');
    const [a, b] = await Promise.all([pooled.embed(windows.slice(0, 2)), pooled.embed(windows.slice(2))]);
    assert.deepEqual([...bytes(a), ...bytes(b)], [...bytes(one)], 'concurrent calls keep their own results');
  } finally {
    await pooled.dispose!();
  }
  const registered = await createEmbedder('builtin');
  assert.equal(registered.version, createBuiltinEmbedder().version, 'the registry\'s builtin is the same model');
  await registered.dispose?.();
});
