import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSubject, type DecodeSubjectResult } from '../../src/decode/index.ts';
import { makeSynthetic, shuffleTrainingClips, normalStream } from './synthetic.ts';

// One synthetic subject: 4 genres × 12 training clips, 16 test clips × 2 repetitions, 8 ROIs of
// 16 voxels, signal in ROIs 2, 5, 7 (labels; amplitudes 1, 0.6, 0.35), 6-d embeddings, 4 windows.
const syn = makeSynthetic();
const opts = { lagTr: 3, k: 3, folds: 5, alphas: [0.1, 1, 10, 100, 1000, 1e4] };
let base: DecodeSubjectResult;

test('decodeSubject(synthetic) picks the ROIs that carry signal, in order of strength', async () => {
  base = await decodeSubject(syn.responses, syn.embeddings, { ...opts, mask: syn.informativeVoxels, wholeCortex: true });
  assert.deepEqual(base.ranking.slice(0, 3).map((r) => r.label), [2, 5, 7]);
  assert.deepEqual(base.ensemble.members.map((m) => m.roi.name), ['roi-2', 'roi-5', 'roi-7']);
  for (const r of base.ranking.slice(3)) assert.ok(r.cvScore < 0.15, `noise ROI ${r.name} scored ${r.cvScore}`);
  assert.ok(base.ranking[0].cvScore > 0.5, `strong ROI cv r ${base.ranking[0].cvScore}`);
  assert.equal(base.ranking[0].nVoxels, 16);
  assert.equal(base.clipIds.test.length, 16);
  assert.equal(base.predictions.test.length, 16 * 4 * 6);
});

test('decodeSubject(synthetic) identifies test clips far above chance, close to a decoder given the true voxels', () => {
  const ens = base.reports.roiEnsemble.test;
  const mask = base.reports.mask!.test;
  assert.ok(ens.identification.clips.value > 0.85, `clips ${ens.identification.clips.value}`);
  assert.ok(ens.identification.windows.value > 0.75, `windows ${ens.identification.windows.value}`);
  assert.ok(ens.nWayTop1.value > 4 * ens.nWayTop1.chance, `top-1 ${ens.nWayTop1.value}`);
  assert.ok(ens.r.value > 0.5, `r ${ens.r.value}`);
  assert.ok(ens.identification.clips.value >= mask.identification.clips.value - 0.06,
    `ensemble ${ens.identification.clips.value} vs true-voxel decoder ${mask.identification.clips.value}`);
  assert.equal(base.reports.mask!.nVoxels, 48);
  assert.equal(base.reports.wholeCortex!.nVoxels, 128);
  assert.ok(base.reports.roiEnsemble.train.identification.clips.value >= ens.identification.clips.value - 0.05);
});

test('decodeSubject(training fMRI shuffled across clips) identifies test clips near chance', async () => {
  const shuffled = await decodeSubject(shuffleTrainingClips(syn, 99), syn.embeddings, opts);
  const t = shuffled.reports.roiEnsemble.test;
  assert.ok(Math.abs(t.identification.windows.value - 0.5) < 0.15, `windows ${t.identification.windows.value}`);
  assert.ok(Math.abs(t.identification.clips.value - 0.5) < 0.2, `clips ${t.identification.clips.value}`);
  assert.ok(Math.abs(t.r.value) < 0.2, `r ${t.r.value}`);
});

test('decodeSubject(different test responses) fits the identical model: no test data leaks into it', async () => {
  const g = normalStream(1234);
  const changed = {
    ...syn.responses,
    runs: syn.responses.runs.map((r) => (r.task === 'Test' ? { ...r, data: r.data.map(() => 5 * g() + 3) } : r)),
  };
  const other = await decodeSubject(changed, syn.embeddings, opts);
  assert.deepEqual(other.ranking, base.ranking, 'ROI ranks and CV scores');
  assert.deepEqual(other.ensemble.standardizer, base.ensemble.standardizer, 'centring and scaling statistics');
  assert.equal(other.ensemble.members.length, base.ensemble.members.length);
  other.ensemble.members.forEach((m, i) => {
    const b = base.ensemble.members[i];
    assert.deepEqual(m.roi.voxels, b.roi.voxels, 'voxel choice');
    assert.deepEqual(m.fit.bestAlphas, b.fit.bestAlphas, 'alphas');
    assert.deepEqual(m.fit.coef, b.fit.coef, 'weights');
    assert.deepEqual(m.fit.xMean, b.fit.xMean);
    assert.deepEqual(m.fit.yMean, b.fit.yMean);
  });
  assert.deepEqual(other.predictions.train, base.predictions.train);
  assert.notDeepEqual(other.predictions.test, base.predictions.test, 'the test predictions do change');
});

test('decodeSubject(leaveOneGenreOut) decodes each unseen genre above chance', async () => {
  const res = await decodeSubject(syn.responses, syn.embeddings, { ...opts, leaveOneGenreOut: true });
  const logo = res.leaveOneGenreOut!;
  assert.deepEqual(logo.genres.map((g) => [g.genre, g.trainClips, g.heldOutClips]), [
    ['genre0', 36, 12], ['genre1', 36, 12], ['genre2', 36, 12], ['genre3', 36, 12],
  ]);
  assert.ok(logo.meanClips > 0.75, `mean within-genre identification ${logo.meanClips}`);
  for (const g of logo.genres) assert.ok(g.rois.includes('roi-2'), `${g.genre} chose ${g.rois}`);
  assert.equal(logo.chance, 0.5);
});
