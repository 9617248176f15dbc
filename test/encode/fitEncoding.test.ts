import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEncodingDesign, encodeSubject, fitEncoding, gatherMeanRows, gatherRows } from '../../src/encode/index.ts';
import { syntheticSubject } from './synthetic.ts';

const inRois = (labels: Int32Array, mask: Uint8Array, rois: number[]) => {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v] && rois.includes(labels[v]!)) n++;
  return n;
};

test('fitEncoding(resp, design) marks the informative ROIs significant and keeps the false-discovery proportion in noise ROIs ≤ 5% over seeds', async () => {
  const fdp: number[] = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const { resp, music, labels } = syntheticSubject({ seed });
    const maps = await fitEncoding(resp, buildEncodingDesign(resp, [music]), 'music', { nullKind: 'gaussian' }); // white noise: the paper's null is exact
    const informative = labels.filter((l) => l === 1 || l === 2).length;
    const hits = inRois(labels, maps.significant, [1, 2]);
    const falseHits = inRois(labels, maps.significant, [3, 4, 5, 6]);
    assert.ok(hits >= 0.9 * informative, `seed ${seed}: ${hits} of ${informative} informative voxels significant`);
    fdp.push(falseHits / Math.max(1, hits + falseHits));
  }
  const mean = fdp.reduce((a, b) => a + b, 0) / fdp.length;
  assert.ok(mean <= 0.05, `mean FDP ${mean} (per seed ${fdp.join(', ')})`);
});

/** Float64 ridge for one voxel: centre with training means, solve (XᵀX + αI)w = Xᵀy by Cholesky. */
function ridgePredict64(X: Float32Array, y: Float32Array, n: number, p: number, alpha: number, Xt: Float32Array, nt: number): Float64Array {
  const xm = new Float64Array(p);
  let ym = 0;
  for (let i = 0; i < n; i++) { ym += y[i]!; for (let j = 0; j < p; j++) xm[j]! += X[i * p + j]!; }
  ym /= n; for (let j = 0; j < p; j++) xm[j]! /= n;
  const A = new Float64Array(p * p), b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const xj = X[i * p + j]! - xm[j]!;
      b[j]! += xj * (y[i]! - ym);
      for (let k = 0; k < p; k++) A[j * p + k]! += xj * (X[i * p + k]! - xm[k]!);
    }
  }
  for (let j = 0; j < p; j++) A[j * p + j]! += alpha;
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let s = A[j * p + k]!;
      for (let m = 0; m < k; m++) s -= L[j * p + m]! * L[k * p + m]!;
      L[j * p + k] = j === k ? Math.sqrt(s) : s / L[k * p + k]!;
    }
  }
  const z = new Float64Array(p), w = new Float64Array(p);
  for (let j = 0; j < p; j++) { let s = b[j]!; for (let m = 0; m < j; m++) s -= L[j * p + m]! * z[m]!; z[j] = s / L[j * p + j]!; }
  for (let j = p - 1; j >= 0; j--) { let s = z[j]!; for (let m = j + 1; m < p; m++) s -= L[m * p + j]! * w[m]!; w[j] = s / L[j * p + j]!; }
  return Float64Array.from({ length: nt }, (_, i) => { let s = ym; for (let j = 0; j < p; j++) s += (Xt[i * p + j]! - xm[j]!) * w[j]!; return s; });
}
function pearson64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length; let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) { const x = a[i]! - ma, y = b[i]! - mb; ab += x * y; aa += x * x; bb += y * y; }
  return ab / Math.sqrt(aa * bb);
}

test('fitEncoding(...).r equals a direct float64 ridge + Pearson r at the chosen alphas, whatever the voxel batch', async () => {
  const { resp, music } = syntheticSubject({ seed: 5, voxelsPerRoi: 10 });
  const d = buildEncodingDesign(resp, [music]);
  const maps = await fitEncoding(resp, d, 'music', { voxelBatch: 23, scoreChunk: 7, nullKind: 'gaussian' });
  const whole = await fitEncoding(resp, d, 'music', { nullKind: 'gaussian' });
  const Y = gatherRows(resp, d.trainRun, d.trainScan, 0, resp.nVoxels);
  const Yt = gatherMeanRows(resp, d.testOffsets, d.testRun, d.testScan, 0, resp.nVoxels);
  for (const v of [0, 3, 11, 25, 47, 59]) {
    const y = Float32Array.from({ length: d.nTrain }, (_, i) => Y[i * resp.nVoxels + v]!);
    const yt = Float64Array.from({ length: d.nTest }, (_, i) => Yt[i * resp.nVoxels + v]!);
    const pred = ridgePredict64(d.trainX, y, d.nTrain, d.nFeatures, maps.bestAlpha[v]!, d.testX, d.nTest);
    const r = pearson64(pred, yt);
    assert.ok(Math.abs(maps.r[v]! - r) < 2e-3, `voxel ${v}: ${maps.r[v]} vs float64 ${r}`);
    assert.ok(Math.abs(maps.r[v]! - whole.r[v]!) < 1e-5, `voxel ${v}: batches of 23 give ${maps.r[v]}, one batch ${whole.r[v]}`);
    assert.equal(maps.bestAlpha[v], whole.bestAlpha[v]);
  }
});

test('fitEncoding with the block null is at least as strict as the Gaussian null on autocorrelated noise', async () => {
  const { resp, music, labels } = syntheticSubject({ seed: 7, rho: 0.8, snr: 0.35 });
  const d = buildEncodingDesign(resp, [music]);
  const gauss = await fitEncoding(resp, d, 'music', { nullKind: 'gaussian' });
  const block = await fitEncoding(resp, d, 'music', { nullKind: 'block', nPerm: 400, seed: 3 });
  const noiseG = inRois(labels, gauss.significant, [3, 4, 5, 6]);
  const noiseB = inRois(labels, block.significant, [3, 4, 5, 6]);
  assert.ok(noiseB <= noiseG, `block null: ${noiseB} noise voxels significant, Gaussian: ${noiseG}`);
  let sumB = 0, sumG = 0;
  for (let v = 0; v < labels.length; v++) { sumB += block.p[v]!; sumG += gauss.p[v]!; }
  assert.ok(sumB > 0 && inRois(labels, block.significant, [1, 2]) > 0, 'block null still finds informative voxels');
  assert.deepEqual(block.r, gauss.r);
  for (let v = 0; v < labels.length; v++) {
    if (block.r[v]! <= 0) assert.equal(block.p[v], 1, 'r ≤ 0: p = 1 without permuting');
    else assert.ok(block.p[v]! >= 1 / 401 && block.p[v]! <= 1, `p = ${block.p[v]} outside [1/(1+nPerm), 1]`);
  }
  assert.ok(Number.isFinite(sumG));
});

test('fitEncoding(…, block null) reports rNull, the r its null tests (each clip\'s scans from the largest delay on, float64 reference), and p below the floor only from the tail', async () => {
  const { resp, music } = syntheticSubject({ seed: 5, voxelsPerRoi: 10, testClips: 20 });
  const d = buildEncodingDesign(resp, [music]);
  const gpd = await fitEncoding(resp, d, 'music', { nPerm: 1000, seed: 2 });
  const counted = await fitEncoding(resp, d, 'music', { nPerm: 1000, seed: 2, pTail: 'none' });
  const gauss = await fitEncoding(resp, d, 'music', { nullKind: 'gaussian' });
  assert.deepEqual([gpd.nullKind, gpd.nPerm, gpd.pTail, gpd.nullFromScan], ['block', 1000, 'gpd', 4]);
  assert.deepEqual([gauss.nPerm, gauss.pTail, gauss.nullFromScan, gauss.pEmpirical, gauss.pSource], [null, null, null, null, null]);
  assert.deepEqual(gauss.rNull, gauss.r);
  const Y = gatherRows(resp, d.trainRun, d.trainScan, 0, resp.nVoxels);
  const Yt = gatherMeanRows(resp, d.testOffsets, d.testRun, d.testScan, 0, resp.nVoxels);
  const kept = Array.from({ length: d.nTest }, (_, i) => i).filter((i) => i % 10 >= 4); // scans 4-9 of each clip
  for (const v of [0, 5, 13, 22, 41]) {
    const y = Float32Array.from({ length: d.nTrain }, (_, i) => Y[i * resp.nVoxels + v]!);
    const pred = ridgePredict64(d.trainX, y, d.nTrain, d.nFeatures, gpd.bestAlpha[v]!, d.testX, d.nTest);
    const rNull = pearson64(kept.map((i) => pred[i]!), kept.map((i) => Yt[i * resp.nVoxels + v]!));
    assert.ok(Math.abs(gpd.rNull[v]! - rNull) < 2e-3, `voxel ${v}: rNull ${gpd.rNull[v]} vs float64 ${rNull}`);
    assert.ok(Math.abs(gpd.rNull[v]! - gpd.r[v]!) > 1e-4, `voxel ${v}: rNull differs from r over every scan`);
  }
  // the count is the same with and without the tail; the tail only lowers p beyond every shuffle
  assert.deepEqual(gpd.pEmpirical, counted.pEmpirical);
  assert.deepEqual(counted.p, counted.pEmpirical);
  let refined = 0;
  for (let v = 0; v < resp.nVoxels; v++) {
    if (gpd.pSource![v] === 0) assert.equal(gpd.p[v], gpd.pEmpirical![v]);
    else { refined++; assert.ok(gpd.p[v]! <= 1 / 1001 && gpd.pEmpirical![v] === Math.fround(1 / 1001), `voxel ${v}`); }
  }
  const below = gpd.p.filter((x) => x < 1 / 1001).length;
  assert.ok(refined >= 10 && below >= 10, `${refined} voxels refined, ${below} below the floor`);
});

test('encodeSubject(resp, [music, other], { partition }) compares both spaces and splits the joint R² by ROI', async () => {
  const { resp, music, other, labels } = syntheticSubject({ seed: 9 });
  const enc = await encodeSubject(resp, [{ name: 'music', spaces: [music] }, { name: 'other', spaces: [other] }], { partition: true, nullKind: 'gaussian' });
  const [m, o] = enc.models;
  assert.equal(enc.comparisons.length, 1);
  const c = enc.comparisons[0]!;
  assert.equal(c.counts.both + c.counts.onlyA + c.counts.onlyB + c.counts.neither, labels.length);
  assert.equal(c.counts.onlyA, inRois(labels, m!.significant, [1, 2, 3, 4, 5, 6]) - c.counts.both);
  assert.ok(c.counts.onlyA >= 60 && c.counts.onlyB >= 30, JSON.stringify(c.counts));
  const meanIn = (x: Float32Array, rois: number[]) => {
    let s = 0, n = 0;
    for (let v = 0; v < x.length; v++) if (rois.includes(labels[v]!)) { s += x[v]!; n++; }
    return s / n;
  };
  const parts = enc.partition!.parts;
  assert.equal(enc.partition!.joint.name, 'music+other');
  assert.ok(meanIn(parts.uniqueA, [1, 2]) > 0.1, `unique music in music ROIs ${meanIn(parts.uniqueA, [1, 2])}`);
  assert.ok(meanIn(parts.uniqueB, [3]) > 0.1, `unique other in other ROI ${meanIn(parts.uniqueB, [3])}`);
  // The stacked model has one alpha for both spaces, so an irrelevant space costs it a little
  // (no banded ridge): unique and shared parts off the informative ROIs are small, not zero.
  assert.ok(Math.abs(meanIn(parts.uniqueA, [3])) < 0.08 && Math.abs(meanIn(parts.uniqueB, [1, 2])) < 0.08);
  assert.ok(Math.abs(meanIn(parts.shared, [1, 2, 3])) < 0.08, 'independent spaces share little variance');
  for (const x of [parts.uniqueA, parts.uniqueB, parts.shared]) assert.ok(Math.abs(meanIn(x, [4, 5, 6])) < 0.02, 'noise ROIs: nothing to partition');
  // noise ceiling: informative voxels have a clearly higher ceiling than noise voxels
  assert.ok(meanIn(o!.ceiling, [3]) > meanIn(o!.ceiling, [4, 5, 6]) + 0.2);
});

test('cvGroups(design, cv, folds) gives contiguous blocks of whole clips, or the training run of each row', async () => {
  const { cvGroups } = await import('../../src/encode/index.ts');
  const { resp, music } = syntheticSubject({ seed: 11, voxelsPerRoi: 2 });
  const d = buildEncodingDesign(resp, [music]);
  const g = cvGroups(d, 'clip', 5);
  // 64 training clips of 10 scans: clip c goes to fold floor(5c / 64); a clip's scans share a fold
  assert.deepEqual([...new Set(g)], [0, 1, 2, 3, 4]);
  for (let i = 0; i < d.nTrain; i++) assert.equal(g[i], Math.floor((5 * d.trainClip[i]!) / 64));
  assert.deepEqual([...new Set(cvGroups(d, 'run', 5))], [0, 1, 2, 3]);
  assert.throws(() => cvGroups(d, 'clip', 65), /folds must be an integer in 2\.\.64/);
  // alpha selection only: where both CV schemes pick the same alpha the fitted model is the same
  const byRun = await fitEncoding(resp, d, 'music', { cv: 'run', nullKind: 'gaussian' });
  const byClip = await fitEncoding(resp, d, 'music', { nullKind: 'gaussian' });
  let same = 0;
  for (let v = 0; v < resp.nVoxels; v++) {
    if (byRun.bestAlpha[v] !== byClip.bestAlpha[v]) continue;
    same++;
    assert.ok(Math.abs(byRun.r[v]! - byClip.r[v]!) < 1e-5);
  }
  assert.ok(same > 0);
});
