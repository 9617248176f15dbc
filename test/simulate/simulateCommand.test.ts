import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulate } from '../../src/cli/commands/simulate.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { PRESETS, DEFAULT_LIBRARY, validateConfig } from '../../src/simulate/index.ts';

test('runSimulate(opts) rejects an unknown preset and a negative library size before writing anything', async () => {
  await assert.rejects(runSimulate({ out: '/nonexistent/b2m', preset: 'huge' as 'demo' }, silentUi), (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /preset 'huge' \(--preset/.test(e.message));
  await assert.rejects(runSimulate({ out: '/nonexistent/b2m', library: -1 }, silentUi), (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /--library/.test(e.message));
});

test('PRESETS: demo is 2 subjects × 100 clips × ~10k voxels with raw runs; paper is the real dataset size', () => {
  const d = PRESETS.demo;
  assert.deepEqual([d.subjects, d.genres.length * (d.trainPerGenre + d.testPerGenre), d.targetVoxels, d.raw], [2, 100, 10000, true]);
  const p = PRESETS.paper;
  assert.deepEqual([p.subjects, p.genres.length * p.trainPerGenre, p.genres.length * p.testPerGenre, p.targetVoxels, p.raw], [5, 480, 60, 60000, false]);
  assert.deepEqual(DEFAULT_LIBRARY, { demo: 500, paper: 5000 });
  // 41 clips × 10 scans = 410 scans per run in both presets, like ds003720
  for (const c of [d, p]) assert.equal((c.genres.length * 4 + 1) * (c.clipSec / c.tr), 410);
  assert.throws(() => validateConfig({ ...d, clipSec: 14 }), /multiple of tr/);
});
