import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageWindows, identificationAccuracy } from '../../src/evaluate/index.ts';
import { cvPredictions, decodeOutputs, decodeSubject, fitStandardizer, selectStandardized } from '../../src/decode/index.ts';

import { groupKFold } from '../../src/ridge/index.ts';
import { closedForm, maxRelErr, predict } from '../ridge/reference.ts';
import { makeSynthetic, normalStream } from './synthetic.ts';

const n = 60, V = 12, T = 3, W = 2;
function data(seed: number) {
  const g = normalStream(seed);
  const X = Float32Array.from({ length: n * V }, () => 2 + 3 * g());
  const Y = new Float32Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Y[i * T + t] = X[i * V + t] - 0.5 * X[i * V + t + 3] + g();
  return { X, nVoxels: V, Y, nTargets: T, groups: Int32Array.from({ length: n }, (_, i) => Math.floor(i / W)) };
}

test('cvPredictions(train, folds, members) predicts each fold from float64 closed-form ridges fitted on the other folds (standardised with their rows), members averaged', async () => {
  const train = data(3);
  const folds = groupKFold(train.groups, 5);
  const members = [{ voxels: Int32Array.from([0, 1, 2, 3, 4, 5]), alphas: [1, 10, 100] }, { voxels: Int32Array.from([2, 3, 7, 9]), alphas: [5, 5, 5] }];
  const got = await cvPredictions(train, folds, () => members);
  const want = new Float64Array(n * T);
  for (const fold of folds) {
    const st = fitStandardizer(train.X, n, V, fold.train);
    for (const m of members) {
      const Z = { rows: n, cols: m.voxels.length, data: Float64Array.from(selectStandardized(train.X, n, V, m.voxels, st)) };
      for (let t = 0; t < T; t++) {
        const Yt = { rows: n, cols: 1, data: Float64Array.from({ length: n }, (_, i) => train.Y[i * T + t]!) };
        const pred = predict(closedForm(Z, Yt, m.alphas[t]!, Array.from(fold.train)), Z, Array.from(fold.test), 1);
        fold.test.forEach((row, k) => { want[row * T + t] += pred[k]! / members.length; });
      }
    }
  }
  // float32 data and GEMMs against float64 normal equations
  assert.ok(maxRelErr(got, want) < 1e-4, `max relative error ${maxRelErr(got, want)}`);
});

test('cvPredictions: a held-out row\'s own target never reaches its prediction', async () => {
  const train = data(4);
  const folds = groupKFold(train.groups, 4);
  const members = () => [{ voxels: Int32Array.from({ length: V }, (_, v) => v), alphas: [1, 1, 1] }];
  const a = await cvPredictions(train, folds, members);
  const changed = Float32Array.from(train.Y);
  for (const row of folds[1]!.test) for (let t = 0; t < T; t++) changed[row * T + t] = 1e3;
  const b = await cvPredictions({ ...train, Y: changed }, folds, members);
  for (const row of folds[1]!.test) for (let t = 0; t < T; t++) assert.equal(b[row * T + t], a[row * T + t]);
});

test('decodeSubject: on responses without signal the in-sample training identification is far above chance but the out-of-fold one is at chance', async () => {
  const syn = makeSynthetic();
  const g = normalStream(17);
  const noise = { ...syn.responses, runs: syn.responses.runs.map((r) => ({ ...r, data: r.data.map(() => g()) })) };
  const res = await decodeSubject(noise, syn.embeddings, { lagTr: 3, folds: 5, alphas: [0.01, 0.1, 1], k: 2 });
  const nTrain = res.clipIds.train.length;
  const inSample = res.reports.main.train.identification.clips.value;
  const oof = res.reports.main.trainOutOfFold!.identification.clips.value;
  assert.ok(inSample > 0.8, `in-sample ${inSample}`);
  // 48 clips: the standard error of chance identification is about 0.04
  assert.ok(Math.abs(oof - 0.5) < 0.15, `out-of-fold ${oof}`);
  const direct = identificationAccuracy(averageWindows(res.predictions.trainOutOfFold, nTrain, res.nWindows, res.dim), averageWindows(res.targets.train, nTrain, res.nWindows, res.dim), nTrain, res.dim).mean;
  assert.equal(oof, direct);
  const out = decodeOutputs(res, { subject: 'sub-001', target: 'builtin', tr: 1.5, windowStarts: syn.embeddings.windowStarts, windowSec: syn.embeddings.windowSec, cvScore: 'inner' }, (id) => id.split('.')[0]!);
  const m = out.metricsJson as { identificationTrainOutOfFold: { value: number; split: string; unit: string; ci95: [number, number]; p: number; nClips: number } };
  assert.equal(m.identificationTrainOutOfFold.value, oof);
  assert.equal(m.identificationTrainOutOfFold.split, 'train-oof');
  assert.equal(m.identificationTrainOutOfFold.nClips, nTrain);
  assert.ok(m.identificationTrainOutOfFold.p > 0.01, 'no signal: p is not small');
  const file = out.arrays.find((a) => a.name === 'predictions_train_oof.npy')!;
  assert.deepEqual(file.shape, [nTrain, res.nWindows, res.dim]);
});
