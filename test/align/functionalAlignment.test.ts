import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyAlignment, fitRidgeAlignment, fitSharedResponse, fitSrmSubject, identityAlignment, keepTrainingRuns, matchClipRows, polarFactor, roiBlocks, selectionBlock,
  type AlignableResponses, type AlignmentBlock, type SubjectRows, type WindowRows,
} from '../../src/align/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { readNpy, writeNpy } from '../../src/io/index.ts';
import { createRng, type Rng } from '../../src/linalg/index.ts';

// Functional alignment on small planted data: a latent time course L (clip windows × d) shared by
// every "subject", each subject's voxels = L·A_s + noise with its own voxel count and weights A_s.
// References: numpy (closed-form ridge, SVD polar factor, the SRM fixed point), and the planted truth.

const PY = '/usr/bin/python3';
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'b2m-falign-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function py(script: string): string {
  const r = spawnSync(PY, ['-c', script, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

const W = 2;
function gauss(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

/** Latent windows for `clips` clips (clip-major rows, W windows each), d dims. */
function latent(clips: number, d: number, rng: Rng): Float64Array {
  return gauss(clips * W * d, rng);
}

/** A subject's window rows: L (n × d) · A (d × V) + noise·N(0,1), clips listed as `ids`. */
function subjectRows(ids: string[], L: Float64Array, d: number, V: number, noise: number, rng: Rng, a = gauss(d * V, rng)): { rows: WindowRows; a: Float64Array } {
  const n = ids.length * W;
  const data = new Float32Array(n * V);
  for (let i = 0; i < n; i++) for (let v = 0; v < V; v++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += L[i * d + k] * a[k * V + v];
    data[i * V + v] = s + noise * rng.normal();
  }
  return { rows: { clipIds: ids, nWindows: W, nVoxels: V, data }, a };
}

/** The same rows with the clips in another order (rows permuted clip by clip). */
function reorder(rows: WindowRows, order: number[]): WindowRows {
  const V = rows.nVoxels;
  const data = new Float32Array(order.length * W * V);
  order.forEach((c, i) => data.set(rows.data.subarray(c * W * V, (c + 1) * W * V), i * W * V));
  return { ...rows, clipIds: order.map((c) => rows.clipIds[c]), data };
}

const ids = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}.${String(i).padStart(5, '0')}`);
const allVoxels = (V: number) => Int32Array.from({ length: V }, (_, v) => v);

test('matchClipRows(source, reference) pairs rows by clip id and window in the reference order, skipping unshared clips', () => {
  const m = matchClipRows({ clipIds: ['b', 'x', 'a'], nWindows: 2 }, { clipIds: ['a', 'b', 'c'], nWindows: 2 });
  assert.deepEqual(m.clipIds, ['a', 'b']);
  assert.deepEqual(Array.from(m.sourceRows), [4, 5, 0, 1]);
  assert.deepEqual(Array.from(m.referenceRows), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(m.groups), [0, 0, 1, 1]);
  assert.throws(() => matchClipRows({ clipIds: ['a'], nWindows: 3 }, { clipIds: ['a'], nWindows: 2 }), /3 and 2 windows/);
  assert.throws(() => matchClipRows({ clipIds: ['a', 'q'], nWindows: 2 }, { clipIds: ['a', 'b'], nWindows: 2 }), /share 1 training clip/);
});

test('keepTrainingRuns(resp, k) keeps the k lowest-numbered training runs with their presentations and every test run', () => {
  const run = (task: 'Training' | 'Test', r: number) => ({ task, run: r, nScans: 2, data: new Float32Array(2) });
  const resp: AlignableResponses = {
    tr: 1.5, nVoxels: 1,
    runs: [run('Training', 3), run('Training', 1), run('Training', 2), run('Test', 1)],
    presentations: [1, 2, 3].map((r) => ({ clipId: `c${r}`, task: 'Training' as 'Training' | 'Test', run: r, firstScan: 0, repetition: 0 })).concat([{ clipId: 't', task: 'Test', run: 1, firstScan: 0, repetition: 0 }]),
  };
  const k2 = keepTrainingRuns(resp, 2);
  assert.deepEqual(k2.runs.map((r) => `${r.task}${r.run}`), ['Training1', 'Training2', 'Test1']);
  assert.deepEqual(k2.presentations.map((p) => p.clipId), ['c1', 'c2', 't']);
  assert.equal(resp.runs.length, 4, 'input unchanged');
  assert.throws(() => keepTrainingRuns(resp, 4), /more training runs than the 3/);
  assert.throws(() => keepTrainingRuns(resp, 0), Brain2MusicError);
});

test('roiBlocks(subjects) keeps the regions every subject has, each subject with its own voxels', () => {
  const names = new Map([[1, 'A'], [2, 'B'], [3, 'C']]);
  const blocks = roiBlocks([
    { subject: 's1', labels: Int32Array.from([1, 1, 2, 0, 3]), names },
    { subject: 's2', labels: Int32Array.from([2, 1, 0, 1, 1, 2]), names },
  ]);
  assert.deepEqual(blocks.map((b) => b.name), ['A', 'B']);
  assert.deepEqual(Array.from(blocks[0].voxels.get('s1')!), [0, 1]);
  assert.deepEqual(Array.from(blocks[0].voxels.get('s2')!), [1, 3, 4]);
  assert.deepEqual(Array.from(blocks[1].voxels.get('s2')!), [0, 5]);
  assert.deepEqual(roiBlocks([{ subject: 's1', labels: Int32Array.from([1, 1, 2]), names }, { subject: 's2', labels: Int32Array.from([1, 2, 1]), names }], 2).map((b) => b.name), ['A']);
  assert.throws(() => roiBlocks([{ subject: 's1', labels: Int32Array.from([1]), names }, { subject: 's2', labels: Int32Array.from([2]), names }]), /no atlas region/);
});

test('fitRidgeAlignment(source, reference) equals the closed-form ridge of numpy at the chosen alphas, per reference voxel', async () => {
  const rng = createRng(3);
  const d = 4;
  const clips = ids(30);
  const L = latent(30, d, rng);
  const src = subjectRows(clips, L, d, 9, 0.5, rng);
  const ref = subjectRows(clips, L, d, 7, 0.5, rng);
  // voxels 2..8 of the source and 1..6 of the reference form the block
  const block: AlignmentBlock = { label: 5, name: 'roi', voxels: new Map([['s', Int32Array.from([2, 3, 4, 5, 6, 7, 8])], ['r', Int32Array.from([1, 2, 3, 4, 5, 6])]]) };
  const al = await fitRidgeAlignment({ subject: 's', rows: src.rows }, { subject: 'r', rows: ref.rows }, [block]);
  assert.equal(al.rows, 60);
  assert.equal(al.nColumns, 6);
  const b = al.blocks[0];
  assert.equal(b.fit.coef.length, 7 * 6);
  // test rows: new latent windows through the same voxel weights
  const Lt = latent(5, d, rng);
  const test = subjectRows(ids(5, 't'), Lt, d, 9, 0.5, rng, src.a);
  const mapped = await applyAlignment(al, test.rows.data);
  writeNpy(join(dir, 'x.npy'), src.rows.data, [60, 9]);
  writeNpy(join(dir, 'y.npy'), ref.rows.data, [60, 7]);
  writeNpy(join(dir, 'xt.npy'), test.rows.data, [10, 9]);
  writeNpy(join(dir, 'alphas.npy'), b.fit.bestAlphas, [6]);
  py(String.raw`
import sys, numpy as np
d = sys.argv[1]
X = np.load(d + '/x.npy').astype(np.float64)[:, 2:9]; Y = np.load(d + '/y.npy').astype(np.float64)[:, 1:7]
Xt = np.load(d + '/xt.npy').astype(np.float64)[:, 2:9]; al = np.load(d + '/alphas.npy')
xm, ym = X.mean(0), Y.mean(0); Xc, Yc = X - xm, Y - ym
B = np.stack([np.linalg.solve(Xc.T @ Xc + a * np.eye(7), Xc.T @ Yc[:, t]) for t, a in enumerate(al)], 1)
np.save(d + '/coef.npy', B); np.save(d + '/pred.npy', (Xt - xm) @ B + ym)
`);
  const coef = readNpy(join(dir, 'coef.npy')).data as Float64Array;
  const pred = readNpy(join(dir, 'pred.npy')).data as Float64Array;
  coef.forEach((c, i) => assert.ok(Math.abs(b.fit.coef[i] - c) <= 1e-4 * (1 + Math.abs(c)), `coef ${i}: ${b.fit.coef[i]} vs numpy ${c}`));
  pred.forEach((p, i) => assert.ok(Math.abs(mapped[i] - p) <= 1e-4 * (1 + Math.abs(p)), `prediction ${i}: ${mapped[i]} vs numpy ${p}`));
  // the reference shares the latent: most of its variance is predictable (noise 0.5 against signal sd 2)
  assert.ok(b.cvR2 > 0.7, `CV R² ${b.cvR2}`);
  // shared alpha: one alpha for the block, the best mean CV R² over its voxels
  const shared = await fitRidgeAlignment({ subject: 's', rows: src.rows }, { subject: 'r', rows: ref.rows }, [block], { alpha: 'shared' });
  const sa = shared.blocks[0].fit;
  assert.equal(new Set(sa.bestAlphas).size, 1);
  const means = Array.from(sa.alphas, (_, a) => sa.cvScores.slice(a * 6, a * 6 + 6).reduce((s, x) => s + x, 0) / 6);
  assert.equal(sa.bestAlphas[0], sa.alphas[means.lastIndexOf(Math.max(...means))]);
});

test('fitRidgeAlignment matches clips by id: a source that heard the clips in another order, or heard fewer, gets the same map as the matched rows', async () => {
  const rng = createRng(4);
  const d = 3;
  const clips = ids(20);
  const L = latent(20, d, rng);
  const src = subjectRows(clips, L, d, 5, 0.3, rng);
  const ref = subjectRows(clips, L, d, 6, 0.3, rng);
  const blocks = selectionBlock([{ subject: 's', voxels: allVoxels(5) }, { subject: 'r', voxels: allVoxels(6) }], -3, 'all');
  const a = await fitRidgeAlignment({ subject: 's', rows: src.rows }, { subject: 'r', rows: ref.rows }, blocks);
  const order = Array.from({ length: 20 }, (_, i) => (i * 7) % 20);
  const b = await fitRidgeAlignment({ subject: 's', rows: reorder(src.rows, order) }, { subject: 'r', rows: ref.rows }, blocks);
  assert.deepEqual(b.blocks[0].fit.coef, a.blocks[0].fit.coef, 'bit-identical map');
  assert.deepEqual(b.blocks[0].fit.bestAlphas, a.blocks[0].fit.bestAlphas);
  // a source with only the first 12 clips (in reverse): the map is the one fitted on those 12 clips
  const first = reorder(src.rows, Array.from({ length: 12 }, (_, i) => 11 - i));
  const c = await fitRidgeAlignment({ subject: 's', rows: first }, { subject: 'r', rows: ref.rows }, blocks);
  const refFirst = reorder(ref.rows, Array.from({ length: 12 }, (_, i) => i));
  const d12 = await fitRidgeAlignment({ subject: 's', rows: reorder(src.rows, Array.from({ length: 12 }, (_, i) => i)) }, { subject: 'r', rows: refFirst }, blocks);
  assert.deepEqual(c.clipIds, clips.slice(0, 12));
  assert.deepEqual(c.blocks[0].fit.coef, d12.blocks[0].fit.coef);
  // the reference itself enters unchanged
  const id = identityAlignment('r', 6, blocks);
  assert.deepEqual(await applyAlignment(id, ref.rows.data), ref.rows.data);
});

test('polarFactor(M) equals U·Vᵀ of numpy\'s SVD and has orthonormal columns', () => {
  const rng = createRng(5);
  const q = 9;
  const k = 4;
  const m = gauss(q * k, rng);
  const w = polarFactor(m, q, k);
  writeNpy(join(dir, 'm.npy'), m, [q, k]);
  py(String.raw`
import sys, numpy as np
d = sys.argv[1]
M = np.load(d + '/m.npy'); U, s, Vt = np.linalg.svd(M, full_matrices=False); np.save(d + '/w.npy', U @ Vt)
`);
  const ref = readNpy(join(dir, 'w.npy')).data as Float64Array;
  ref.forEach((x, i) => assert.ok(Math.abs(w[i] - x) < 1e-10, `${i}: ${w[i]} vs ${x}`));
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    let s = 0;
    for (let i = 0; i < q; i++) s += w[i * k + a] * w[i * k + b];
    assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-12);
  }
});

/** Pearson r between two float columns. */
function corr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxy / Math.sqrt(sxx * syy);
}

test('fitSharedResponse(subjects) never increases its objective, ends at the SRM fixed point numpy recomputes, and maps every subject into one space', async () => {
  const rng = createRng(6);
  const d = 3;
  const clips = ids(40);
  const L = latent(40, d, rng);
  const sizes = [12, 15, 10, 14];
  const subs = sizes.map((V) => subjectRows(clips, L, d, V, 0.3, rng));
  const rows: SubjectRows[] = subs.map((s, i) => ({ subject: `s${i}`, rows: s.rows }));
  // the last subject heard only the first 25 clips
  rows[3] = { subject: 's3', rows: reorder(subs[3].rows, Array.from({ length: 25 }, (_, i) => i)) };
  const blocks = selectionBlock(rows.map((r) => ({ subject: r.subject, voxels: allVoxels(r.rows.nVoxels) })), -3, 'all');
  const model = await fitSharedResponse(rows, blocks, { dims: 3, iterations: 8, seed: 1 });
  assert.equal(model.objective.length, 9);
  for (let i = 1; i < model.objective.length; i++) assert.ok(model.objective[i] <= model.objective[i - 1] * (1 + 1e-12), `objective rose at step ${i}: ${model.objective[i - 1]} → ${model.objective[i]}`);
  assert.ok(model.objective[8] < 0.5 * model.objective[0], `objective ${model.objective[0]} → ${model.objective[8]}`);
  assert.equal(model.nColumns, 3);
  // numpy: S equals the row-wise mean of Z_s W_s over the subjects with that row, and the final objective
  rows.forEach((r, i) => {
    writeNpy(join(dir, `x${i}.npy`), r.rows.data, [r.rows.clipIds.length * W, r.rows.nVoxels]);
    writeNpy(join(dir, `w${i}.npy`), model.maps[i].blocks[0].w, [r.rows.nVoxels, 3]);
  });
  writeNpy(join(dir, 's.npy'), model.blocks[0].shared, [40 * W, 3]);
  const out = py(String.raw`
import sys, numpy as np
d = sys.argv[1]
S = np.load(d + '/s.npy'); acc = np.zeros_like(S); cnt = np.zeros(len(S)); obj = 0.0
for i in range(4):
    X = np.load(d + f'/x{i}.npy').astype(np.float64); Wm = np.load(d + f'/w{i}.npy')
    sd = X.std(0); Z = (X - X.mean(0)) / np.where(sd > 0, sd, 1); n = len(Z)
    acc[:n] += Z @ Wm; cnt[:n] += 1; obj += ((Z - S[:n] @ Wm.T) ** 2).sum()
print(np.abs(acc / cnt[:, None] - S).max(), obj)
`).trim().split(' ').map(Number);
  assert.ok(out[0] < 1e-9, `shared response differs from the mean of Z·W by ${out[0]}`);
  assert.ok(Math.abs(out[1] - model.objective[8]) < 1e-8 * out[1], `objective ${model.objective[8]} vs numpy ${out[1]}`);
  // new responses of the same latent map to (nearly) the same shared responses in every subject
  const Lt = latent(6, d, rng);
  const mapped = await Promise.all(subs.map((s, i) => applyAlignment(model.maps[i], subjectRows(ids(6, 't'), Lt, d, sizes[i], 0.3, rng, s.a).rows.data)));
  for (let i = 1; i < 4; i++) for (let a = 0; a < 3; a++) {
    const col = (m: Float32Array) => Array.from({ length: 12 }, (_, r) => m[r * 3 + a]);
    const r = corr(col(mapped[0]), col(mapped[i]));
    assert.ok(r > 0.9, `shared dim ${a}, s0 vs s${i}: r ${r.toFixed(3)}`);
  }
});

test('fitSrmSubject(model, new subject) folds a left-out subject into the shared space from its training clips alone', async () => {
  const rng = createRng(8);
  const d = 3;
  const clips = ids(40);
  const L = latent(40, d, rng);
  const subs = [12, 15, 10, 14].map((V) => subjectRows(clips, L, d, V, 0.3, rng));
  const rows: SubjectRows[] = subs.map((s, i) => ({ subject: `s${i}`, rows: s.rows }));
  const blocks = selectionBlock(rows.map((r) => ({ subject: r.subject, voxels: allVoxels(r.rows.nVoxels) })), -3, 'all');
  const model = await fitSharedResponse(rows.slice(0, 3), blocks, { dims: 3, seed: 2 });
  // the new subject heard 10 of the clips
  const newRows: SubjectRows = { subject: 's3', rows: reorder(subs[3].rows, [3, 1, 4, 15, 9, 26, 5, 35, 8, 7]) };
  const map = await fitSrmSubject(model, newRows, blocks);
  assert.equal(map.clips, 10);
  const Lt = latent(6, d, rng);
  const a0 = await applyAlignment(model.maps[0], subjectRows(ids(6, 't'), Lt, d, 12, 0.3, rng, subs[0].a).rows.data);
  const a3 = await applyAlignment(map, subjectRows(ids(6, 't'), Lt, d, 14, 0.3, rng, subs[3].a).rows.data);
  for (let a = 0; a < 3; a++) {
    const r = corr(Array.from({ length: 12 }, (_, i) => a0[i * 3 + a]), Array.from({ length: 12 }, (_, i) => a3[i * 3 + a]));
    assert.ok(r > 0.85, `shared dim ${a}: r ${r.toFixed(3)}`);
  }
  await assert.rejects(() => fitSrmSubject(model, { subject: 'x', rows: { clipIds: ['zz.00001'], nWindows: W, nVoxels: 14, data: new Float32Array(28) } }, blocks), /shares 0 training clips/);
});
