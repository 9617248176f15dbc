import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignWindows } from '../../src/align/index.ts';
import { rowsFor } from '../../src/embed/index.ts';
import { fitRoiEnsemble, fitStandardizer, roiList } from '../../src/decode/index.ts';
import { fitRoiFits } from '../../src/decode/roiFits.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { makeSynthetic, defaultSpec } from './synthetic.ts';

// 8 ROIs of 10-200 voxels, some past a fold's training rows (kernel form), signal in three of them.
const syn = makeSynthetic({ ...defaultSpec, roiSizes: [12, 200, 20, 45, 16, 170, 24, 10], signal: { 1: 0.35, 3: 0.25, 5: 0.15 } });
const windows = syn.embeddings.windowStarts.map((s) => ({ start: s, end: s + syn.embeddings.windowSec }));
const aligned = alignWindows(syn.responses, 'training', windows, { lagTr: 3, scansPerClip: 10 });
const train = { X: aligned.data, nVoxels: syn.responses.nVoxels, Y: rowsFor(syn.embeddings, aligned.clipIds), nTargets: syn.embeddings.dim, groups: aligned.groups };
const rois = roiList(syn.responses.atlas);
const ridge = { alphas: [0.1, 1, 10, 100, 1000], folds: 5 };

test('fitRoiFits on worker threads gives every ROI the fit it gets on this thread (float32 rounding), in ROI order, for both CV score modes', async () => {
  const st = fitStandardizer(train.X, train.groups.length, train.nVoxels);
  for (const cvScore of ['inner', 'nested'] as const) {
    const here = await fitRoiFits(train, rois, st, { ridge: { ...ridge, cvScore }, workers: 'never' });
    const progress: number[] = [];
    const there = await fitRoiFits(train, rois, st, { ridge: { ...ridge, cvScore }, workers: 'always', onProgress: (d) => progress.push(d) });
    assert.deepEqual(progress, rois.map((_, i) => i + 1));
    assert.ok(new Set(here.map((f) => f.fit.solver)).size === 2, 'both solvers are exercised');
    for (const [i, a] of here.entries()) {
      const b = there[i];
      assert.equal(b.fit.nFeatures, rois[i].voxels.length);
      assert.equal(b.fit.solver, a.fit.solver);
      assert.deepEqual([...b.fit.bestAlphas], [...a.fit.bestAlphas]);
      assert.ok(Math.abs(a.cvScore - b.cvScore) < 1e-5, `${rois[i].name} (${cvScore}): cv ${a.cvScore} vs ${b.cvScore}`);
      let scale = 0;
      let diff = 0;
      for (let j = 0; j < a.fit.coef.length; j++) {
        scale = Math.max(scale, Math.abs(a.fit.coef[j]));
        diff = Math.max(diff, Math.abs(a.fit.coef[j] - b.fit.coef[j]));
      }
      assert.ok(diff <= 1e-4 * scale, `${rois[i].name}: coefficients differ by ${diff} (scale ${scale})`);
    }
  }
});

test('fitRoiEnsemble ranks the ROIs the same with and without worker threads', async () => {
  const a = await fitRoiEnsemble(train, rois, { ...ridge, k: 3, workers: 'never' });
  const b = await fitRoiEnsemble(train, rois, { ...ridge, k: 3, workers: 'always' });
  assert.deepEqual(b.ranking.map((r) => r.label), a.ranking.map((r) => r.label));
  assert.deepEqual(b.members.map((m) => m.roi.label).sort(), [2, 4, 6]);
});

test("fitRoiFits: a worker's error comes back as the same Brain2MusicError", async () => {
  const st = fitStandardizer(train.X, train.groups.length, train.nVoxels);
  await assert.rejects(fitRoiFits(train, rois, st, { ridge: { alphas: [-1, 1] }, workers: 'always' }), (err: unknown) => {
    assert.ok(err instanceof Brain2MusicError, String(err));
    assert.equal(err.code, 'BAD_INPUT');
    assert.match(err.message, /alpha/i);
    return true;
  });
});
