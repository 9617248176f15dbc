import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getBackend, matmul, registerBackend, setLinalgWarningHandler, useBackend, forcedBackend } from '../../src/linalg/index.ts';

test('getBackend() skips a backend that cannot start, warns naming it, and falls back', async () => {
  const warnings: string[] = [];
  setLinalgWarningHandler((m) => warnings.push(m));
  registerBackend('broken', () => {
    throw new Error('native binary missing');
  }, 100);
  const b = await getBackend();
  assert.notEqual(b.name, 'broken');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /GEMM backend 'broken' could not start \(native binary missing\); falling back to '(onnx|js)'/);
  // the failure is remembered: no second warning
  await getBackend();
  assert.equal(warnings.length, 1);
  // products still work, on the fallback
  const c = await matmul({ rows: 64, cols: 64, data: new Float32Array(64 * 64).fill(1) }, { rows: 64, cols: 80, data: new Float32Array(64 * 80).fill(0.5) });
  assert.equal(c.data[0], 32);
});

test('useBackend(name) forces a backend and useBackend(null) restores automatic choice', async () => {
  useBackend('js');
  assert.equal(forcedBackend(), 'js');
  assert.equal((await getBackend()).name, 'js');
  useBackend(null);
  assert.equal(forcedBackend(), null);
  assert.throws(() => useBackend('cuda'), /Unknown GEMM backend 'cuda'/);
});
