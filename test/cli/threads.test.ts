import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { buildProgram } from '../../src/cli/program.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { createOnnxBackend } from '../../src/linalg/backends/onnx.ts';
import { setThreadBudget, threadBudget, THREADS_ENV } from '../../src/threads.ts';

test('threadBudget(): --threads, else BRAIN2MUSIC_THREADS, else every core; a bad value is refused naming its source', () => {
  const saved = process.env[THREADS_ENV];
  try {
    delete process.env[THREADS_ENV];
    setThreadBudget(undefined);
    assert.equal(threadBudget(), availableParallelism());
    process.env[THREADS_ENV] = '3';
    assert.equal(threadBudget(), 3);
    setThreadBudget(1);
    assert.equal(threadBudget(), 1, '--threads wins over the environment');
    assert.throws(() => setThreadBudget(0), (e: unknown) => e instanceof Brain2MusicError && /--threads must be a whole number of threads >= 1, got 0/.test(e.message));
    setThreadBudget(undefined);
    process.env[THREADS_ENV] = 'two';
    assert.throws(() => threadBudget(), /BRAIN2MUSIC_THREADS must be a whole number/);
  } finally {
    if (saved === undefined) delete process.env[THREADS_ENV];
    else process.env[THREADS_ENV] = saved;
    setThreadBudget(undefined);
  }
});

test('brain2music --threads N sets the budget before the command runs, and ONNX Runtime gets it', async () => {
  try {
    // the command fails on its missing dataset, after the hook ran
    await assert.rejects(buildProgram().parseAsync(['--threads', '1', 'decode', '--bids', '/nonexistent/ds', '--embeddings', '/nonexistent/e.npy', '--out', '/nonexistent/run'], { from: 'user' }));
    assert.equal(threadBudget(), 1);
    const backend = await createOnnxBackend();
    assert.equal(backend.threads, 1, 'the GEMM sessions are built with the budget');
    await backend.dispose?.();
  } finally {
    setThreadBudget(undefined);
  }
});

test('brain2music --threads 0 is a usage error', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', '--threads', '0', 'decode', '--help'], { encoding: 'utf8' });
  assert.notEqual(res.status, 0);
  assert.match(res.stderr, /--threads/);
});
