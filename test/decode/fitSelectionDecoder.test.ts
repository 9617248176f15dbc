import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignWindows } from '../../src/align/index.ts';
import {
  decodeOutputs, decodeSubject, encodingCvScores, fitSelectionDecoder, selectVoxels,
  type DecodeSubjectResult, type DecoderTrainingData, type VoxelSelection,
} from '../../src/decode/index.ts';
import { rowsFor } from '../../src/embed/index.ts';
import { groupKFold } from '../../src/ridge/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { closedForm, predict } from '../ridge/reference.ts';
import { defaultSpec, makeSynthetic, normalStream, shuffleTrainingClips } from './synthetic.ts';

// The synthetic subject of decodeSubject.test.ts (48 training clips × 4 windows, 16 test clips ×
// 2 repetitions, 128 voxels of which 48 carry signal, 6-d targets, lag 3) with its atlas removed.
const syn = makeSynthetic();
const noAtlas = { ...syn.responses, atlas: { labels: new Int32Array(syn.responses.nVoxels), names: new Map<number, string>() } };
const alphas = [0.1, 1, 10, 100, 1000, 1e4];
const opts = { lagTr: 3, folds: 5, alphas };
const SELECTIONS: [string, VoxelSelection][] = [['encoding:48', { kind: 'encoding-top', n: 48 }], ['encoding-r:0.05', { kind: 'encoding-r', threshold: 0.05 }], ['all', { kind: 'all' }]];
const bytes = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function trainingData(resp: typeof noAtlas): DecoderTrainingData {
  const windows = syn.embeddings.windowStarts.map((s) => ({ start: s, end: s + syn.embeddings.windowSec }));
  const train = alignWindows(resp, 'training', windows, { lagTr: 3, scansPerClip: 10 });
  return { X: train.data, nVoxels: resp.nVoxels, Y: rowsFor(syn.embeddings, train.clipIds), nTargets: syn.embeddings.dim, groups: train.groups };
}

test('decodeSubject(no atlas, encoding:N | encoding-r:T | all) with every test response replaced by noise keeps the selected voxels, alphas and coefficients bit-identical', async () => {
  const g = normalStream(99);
  const noisy = { ...noAtlas, runs: noAtlas.runs.map((r) => (r.task === 'Test' ? { ...r, data: r.data.map(() => 5 * g() + 3) } : r)) };
  for (const [label] of SELECTIONS) {
    const a = await decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: label });
    const b = await decodeSubject(noisy, syn.embeddings, { ...opts, decoder: label });
    const sa = a.decoder.selection!, sb = b.decoder.selection!;
    assert.deepEqual(bytes(sb.voxels), bytes(sa.voxels), `${label}: selected voxels`);
    if (sa.encodingR) assert.deepEqual(bytes(sb.encodingR!), bytes(sa.encodingR), `${label}: encoding CV r`);
    sa.folds.forEach((f, i) => assert.deepEqual(bytes(sb.folds[i]!.voxels), bytes(f.voxels), `${label}: fold ${i + 1} voxels`));
    const fa = a.ensemble.members[0]!.fit, fb = b.ensemble.members[0]!.fit;
    assert.deepEqual(bytes(fb.bestAlphas), bytes(fa.bestAlphas), `${label}: alphas`);
    assert.deepEqual(bytes(fb.cvScores), bytes(fa.cvScores), `${label}: CV scores`);
    assert.deepEqual(bytes(fb.coef), bytes(fa.coef), `${label}: coefficients`);
    assert.deepEqual(bytes(fb.xMean), bytes(fa.xMean));
    assert.deepEqual(bytes(fb.yMean), bytes(fa.yMean));
    assert.deepEqual(bytes(b.ensemble.standardizer.mean), bytes(a.ensemble.standardizer.mean), `${label}: standardizer`);
    assert.deepEqual(bytes(b.ensemble.standardizer.std), bytes(a.ensemble.standardizer.std));
    assert.deepEqual(bytes(b.predictions.train), bytes(a.predictions.train));
    assert.notDeepEqual(bytes(b.predictions.test), bytes(a.predictions.test), `${label}: the test predictions do change`);
  }
});

test('fitSelectionDecoder(train) selects each outer fold\'s voxels from that fold\'s training clips alone: its validation rows replaced by noise change nothing in it', async () => {
  const train = trainingData(noAtlas);
  const sel: VoxelSelection = { kind: 'encoding-top', n: 30 };
  const fit = await fitSelectionDecoder(train, sel, { folds: 5, alphas });
  const outer = groupKFold(train.groups, 5);
  for (const [f, fold] of outer.entries()) {
    const enc = await encodingCvScores(train, { rows: fold.train, folds: 5, alphas });
    assert.deepEqual([...fit.selection.folds[f]!.voxels], [...selectVoxels(sel, enc.r, train.nVoxels, '').voxels], `fold ${f + 1}`);
  }
  // replace the responses of fold 1's validation rows by noise: fold 1 keeps its voxels, the others (which train on those rows) and the final selection may not
  const g = normalStream(3);
  const X = train.X.slice();
  for (const i of outer[0]!.test) for (let v = 0; v < train.nVoxels; v++) X[i * train.nVoxels + v] = 3 * g();
  const other = await fitSelectionDecoder({ ...train, X }, sel, { folds: 5, alphas });
  assert.deepEqual(bytes(other.selection.folds[0]!.voxels), bytes(fit.selection.folds[0]!.voxels), 'fold 1');
  assert.ok(other.selection.folds.slice(1).some((f, i) => f.voxels.join() !== fit.selection.folds[i + 1]!.voxels.join()) || other.selection.voxels.join() !== fit.selection.voxels.join(),
    'the perturbation reaches the selections that train on those rows');
});

test('fitSelectionDecoder(train) CV scores, alphas and final coefficients equal a float64 closed-form nested reference', async () => {
  const train = trainingData(noAtlas);
  const { X, Y, nVoxels: V, nTargets: T, groups } = train;
  const n = groups.length;
  const fit = await fitSelectionDecoder(train, { kind: 'encoding-top', n: 20 }, { folds: 5, alphas });
  const outer = groupKFold(groups, 5);
  // standardised selected columns (float64) with statistics of `statRows`
  const design = (voxels: Int32Array, statRows: ArrayLike<number>) => {
    const q = voxels.length;
    const Z = new Float64Array(n * q);
    voxels.forEach((v, j) => {
      let mu = 0, ss = 0;
      for (let k = 0; k < statRows.length; k++) mu += X[statRows[k]! * V + v]! / statRows.length;
      for (let k = 0; k < statRows.length; k++) ss += (X[statRows[k]! * V + v]! - mu) ** 2 / statRows.length;
      for (let i = 0; i < n; i++) Z[i * q + j] = (X[i * V + v]! - mu) / Math.sqrt(ss);
    });
    return { rows: n, cols: q, data: Z };
  };
  const Ym = { rows: n, cols: T, data: Float64Array.from(Y) };
  const want = new Float64Array(alphas.length * T);
  outer.forEach((fold, f) => {
    const Z = design(fit.selection.folds[f]!.voxels, fold.train);
    const te = Array.from(fold.test);
    alphas.forEach((alpha, a) => {
      const pred = predict(closedForm(Z, Ym, alpha, Array.from(fold.train)), Z, te, T);
      for (let t = 0; t < T; t++) {
        const y = te.map((i) => Y[i * T + t]!), p = te.map((_, k) => pred[k * T + t]!);
        const my = y.reduce((s, x) => s + x, 0) / y.length, mp = p.reduce((s, x) => s + x, 0) / p.length;
        let c = 0, yy = 0, pp = 0;
        y.forEach((x, k) => { c += (x - my) * (p[k]! - mp); yy += (x - my) ** 2; pp += (p[k]! - mp) ** 2; });
        want[a * T + t] += c / Math.sqrt(yy * pp) / outer.length;
      }
    });
  });
  const m = fit.model.members[0]!;
  for (let k = 0; k < want.length; k++) assert.ok(Math.abs(m.fit.cvScores[k]! - want[k]!) < 1e-4, `cv score ${k}: ${m.fit.cvScores[k]} vs ${want[k]}`);
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let a = 1; a < alphas.length; a++) if (want[a * T + t]! >= want[best * T + t]!) best = a;
    assert.equal(m.fit.bestAlphas[t], alphas[best], `dimension ${t}`);
    assert.ok(Math.abs(m.cvR[t]! - want[best * T + t]!) < 1e-4);
  }
  const Z = design(fit.selection.voxels, Array.from({ length: n }, (_, i) => i));
  for (let t = 0; t < T; t++) {
    const ref = closedForm(Z, Ym, m.fit.bestAlphas[t]!);
    let err = 0, scale = 0;
    for (let j = 0; j < Z.cols; j++) { err = Math.max(err, Math.abs(m.fit.coef[j * T + t]! - ref.beta[j * T + t]!)); scale = Math.max(scale, Math.abs(ref.beta[j * T + t]!)); }
    assert.ok(err / scale < 1e-3, `dimension ${t}: coef rel err ${err / scale}`);
  }
  assert.deepEqual(fit.selection.encoding, { rows: n, clips: 48, folds: 5 });
  assert.equal(m.roi.name, 'encoding:20');
  assert.equal(fit.selection.folds.length, 5);
  for (const f of fit.selection.folds) assert.ok(f.trainClips + f.validationClips === 48 && f.nSelected === 20 && f.overlapWithFinal > 0.5, JSON.stringify({ ...f, voxels: undefined }));
});

test('decodeSubject(no atlas) defaults to encoding:3000 (clamped to the 128 voxels, noted), decodes above chance, and keeps the result shape', async () => {
  const res = await decodeSubject(noAtlas, syn.embeddings, opts);
  assert.deepEqual([res.decoder.method, res.decoder.label, res.decoder.reason], ['encoding-top', 'encoding:3000', 'no atlas: decoding with encoding:3000 (all 128 voxels: fewer than 3000)']);
  assert.deepEqual(res.decoder.selection!.notes, ['encoding:3000 asks for more voxels than the 128 there are: all 128 used.']);
  assert.equal(res.reports.main, res.reports.roiEnsemble);
  assert.equal(res.predictions.test.length, 16 * 4 * 6);
  assert.ok(res.reports.main.test.identification.clips.value > 0.8, `clips ${res.reports.main.test.identification.clips.value}`);
  const top = await decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: { kind: 'encoding-top', n: 48 }, wholeCortex: true });
  const inf = new Set(syn.informativeVoxels);
  const frac = [...top.decoder.selection!.voxels].filter((v) => inf.has(v)).length / 48;
  // measured: 0.83 of the 48 chosen carry signal (48 of the 128 voxels do: 0.375 by chance); test identification 0.95 on clips
  assert.ok(frac >= 0.7, `informative fraction ${frac}`);
  assert.ok(top.reports.main.test.identification.clips.value > 0.85, `clips ${top.reports.main.test.identification.clips.value}`);
  assert.equal(top.reports.wholeCortex!.nVoxels, 128, 'whole cortex without an atlas: every voxel');
  const withAtlas = await decodeSubject(syn.responses, syn.embeddings, { ...opts, k: 3 });
  assert.equal(withAtlas.decoder.label, 'rois');
  assert.equal(withAtlas.decoder.selection, undefined);
});

test('decodeSubject(no atlas, encoding:48 | encoding-r:0.05) on 160 training clips chooses mostly informative voxels and identifies test clips; shuffled training fMRI falls to chance', async () => {
  // 4 genres × 40 training clips (4 runs), 24 test clips × 2 repetitions, 8 ROIs of 24 voxels with
  // signal in 3 (amplitudes 0.2, 0.14, 0.1 against unit noise): 72 of 192 voxels informative. With
  // 160 clips the encoding CV r of a noise voxel still exceeds 0.05 about a third of the time, so
  // encoding-r:0.05 keeps some noise; the ranked count keeps almost none.
  const big = makeSynthetic({ ...defaultSpec, trainPerGenre: 40, testPerGenre: 6, trainRuns: 4, voxelsPerRoi: 24, signal: { 1: 0.2, 4: 0.14, 6: 0.1 } });
  const resp = { ...big.responses, atlas: { labels: new Int32Array(big.responses.nVoxels), names: new Map<number, string>() } };
  const inf = new Set(big.informativeVoxels);
  assert.equal(inf.size, 72);
  // measured: encoding:48 selects 48 (0.98 informative), clips 0.946, windows 0.925, shuffled 0.51/0.46/0.48/0.38;
  // encoding-r:0.05 selects 109 (0.63 informative), clips 0.937, windows 0.918, shuffled 0.54/0.42/0.50/0.38
  for (const [decoder, minInformative] of [['encoding:48', 0.9], ['encoding-r:0.05', 0.55]] as const) {
    const res = await decodeSubject(resp, big.embeddings, { decoder });
    const v = res.decoder.selection!.voxels;
    const frac = v.filter((x) => inf.has(x)).length / v.length;
    assert.ok(frac >= minInformative, `${decoder}: ${v.length} voxels, informative fraction ${frac}`);
    for (const unit of ['clips', 'windows'] as const) assert.ok(res.reports.main.test.identification[unit].value >= 0.85, `${decoder} ${unit}: ${res.reports.main.test.identification[unit].value}`);
    // 24 test clips: sampling SD of a chance decoder about 0.31/√24 = 0.063; ±0.2 per shuffle (3 SD), ±0.1 for the mean of four
    const shuffled: number[] = [];
    for (const seed of [1, 2, 3, 4]) shuffled.push((await decodeSubject(shuffleTrainingClips(resp, seed), big.embeddings, { decoder })).reports.main.test.identification.clips.value);
    for (const a of shuffled) assert.ok(Math.abs(a - 0.5) <= 0.2, `${decoder} shuffled: ${shuffled}`);
    assert.ok(Math.abs(shuffled.reduce((x, y) => x + y, 0) / 4 - 0.5) <= 0.1, `${decoder} shuffled: ${shuffled}`);
  }
});

test('decodeSubject errors: encoding-r selecting no voxel, the ROI ensemble without an atlas, a bad decoder string', async () => {
  const bad = (re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && re.test(e.message);
  await assert.rejects(decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'encoding-r:0.95' }),
    bad(/^encoding-r:0.95 selects no voxel in outer fold 1 of 5 \(its 38 training clips\): none of the 128 voxels has encoding CV r > 0.95 \(best r 0\.\d+; \d+ above 0.475; \d+ above 0.2375; \d+ above 0\)\. Pass a lower threshold, e\.g\. encoding-r:0\.\d+ \(\d+ voxels\) or a voxel count such as encoding:128\./));
  await assert.rejects(decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'rois' }), bad(/the ROI ensemble needs atlas labels.*encoding:3000 \(the default\), encoding-r:0.05 or all/));
  await assert.rejects(decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'encoding:lots' }), bad(/whole number of voxels/));
});

test('decodeSubject(no atlas, leaveOneGenreOut) refits the voxel selection without each genre', async () => {
  const res = await decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'encoding:48', leaveOneGenreOut: true });
  const logo = res.leaveOneGenreOut!;
  assert.deepEqual(logo.genres.map((g) => [g.genre, g.trainClips, g.rois]), [
    ['blues', 36, ['encoding:48']], ['classical', 36, ['encoding:48']], ['country', 36, ['encoding:48']], ['disco', 36, ['encoding:48']],
  ]);
  assert.ok(logo.meanClips > 0.65, `mean within-genre identification ${logo.meanClips}`);
});

test('decodeOutputs(voxel selection) records the decoder in metrics.json and rois.json and lists the arrays to write; the ROI format stays', async () => {
  const info = { subject: 'sub-001', target: 'synthetic', tr: 1.5, windowStarts: syn.embeddings.windowStarts, windowSec: 10, cvScore: 'inner' };
  const res: DecodeSubjectResult = await decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'encoding-r:0.05' });
  const sel = res.decoder.selection!;
  const out = decodeOutputs(res, info, (id) => id.split('.')[0]!);
  const d = out.metricsJson.decoder as Record<string, unknown>;
  assert.deepEqual([d.method, d.label, d.reason, d.nSelected, d.nVoxels, d.n, d.threshold], ['encoding-r', 'encoding-r:0.05', 'encoding-r:0.05 asked for', sel.voxels.length, 128, null, 0.05]);
  const perFold = d.perFold as Record<string, unknown>[];
  assert.equal(perFold.length, 5);
  assert.deepEqual(Object.keys(perFold[0]!), ['fold', 'trainClips', 'validationClips', 'nSelected', 'overlapWithFinal']);
  assert.equal(out.metricsJson.cvScore, 'selection-nested');
  assert.ok('voxelSelection' in (out.metricsJson.decoders as object) && !('k' in out.metricsJson));
  assert.equal(out.metricsJson.identificationTest && (out.metricsJson.identificationTest as { value: number }).value, res.reports.main.test.identification.clips.value);
  const rois = out.roisJson as { method: string; nSelected: number; threshold: number; topVoxels: { rank: number; voxel: number; cvR: number }[]; selected: { name: string; nVoxels: number }[]; files: Record<string, string> };
  assert.deepEqual([rois.method, rois.nSelected, rois.threshold], ['encoding-r', sel.voxels.length, 0.05]);
  assert.equal(rois.topVoxels.length, Math.min(100, sel.voxels.length));
  rois.topVoxels.forEach((v, k) => {
    assert.equal(v.cvR, sel.encodingR![v.voxel]);
    assert.ok(v.cvR > 0.05);
    if (k > 0) assert.ok(v.cvR <= rois.topVoxels[k - 1]!.cvR);
  });
  assert.deepEqual(rois.selected.map((s) => [s.name, s.nVoxels]), [['encoding-r:0.05', sel.voxels.length]]);
  assert.deepEqual(rois.files, { voxels: 'selected_voxels.npy', encodingR: 'voxel_encoding_r.npy' });
  assert.deepEqual(out.arrays.map((a) => [a.name, a.shape]), [['predictions_train_oof.npy', [48, 4, 6]], ['selected_voxels.npy', [sel.voxels.length]], ['voxel_encoding_r.npy', [128]]]);
  const all = decodeOutputs(await decodeSubject(noAtlas, syn.embeddings, { ...opts, decoder: 'all' }), info, (id) => id.split('.')[0]!);
  assert.deepEqual((all.roisJson as { topVoxels: unknown[] }).topVoxels, []);
  assert.deepEqual(all.arrays.map((a) => a.name), ['predictions_train_oof.npy', 'selected_voxels.npy']);
  const roi = decodeOutputs(await decodeSubject(syn.responses, syn.embeddings, { ...opts, k: 3 }), info, (id) => id.split('.')[0]!);
  assert.deepEqual(Object.keys(roi.roisJson), ['subject', 'k', 'cvScore', 'selected', 'ranking']);
  assert.deepEqual(roi.arrays.map((a) => a.name), ['predictions_train_oof.npy'], 'the ROI ensemble writes only its out-of-fold training predictions beside the usual files');
  assert.deepEqual(roi.metricsJson.decoder, { method: 'roi-ensemble', label: 'rois', reason: 'atlas with 8 regions: ROI ensemble' });
  assert.equal(roi.metricsJson.k, 3);
});
