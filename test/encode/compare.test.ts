import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSpaces, histogram2d, partitionVariance, roiSummary, scoreColumns } from '../../src/encode/index.ts';

test('scoreColumns(pred, actual) matches a direct float64 Pearson r and R² per column', () => {
  // column 0: pred = 2·y + 1 (r = 1); column 1: hand-computed; column 2: constant pred (r = 0)
  const y0 = [1, 2, 4, 7], p1 = [1, 0, 2, 1], y1 = [2, 1, 1, 3];
  const n = 4, T = 3;
  const pred = new Float32Array(n * T), act = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    pred[i * T] = 2 * y0[i]! + 1; act[i * T] = y0[i]!;
    pred[i * T + 1] = p1[i]!; act[i * T + 1] = y1[i]!;
    pred[i * T + 2] = 5; act[i * T + 2] = y0[i]!;
  }
  const { r, r2 } = scoreColumns(pred, act, n, T);
  assert.ok(Math.abs(r[0]! - 1) < 1e-12);
  // p1 mean 1, y1 mean 1.75: cov = 0·.25 + (-1)(-.75) + 1·(-.75) + 0·1.25 = 0 → r = 0
  assert.equal(r[1], 0);
  assert.equal(r[2], 0);
  // R² col 1: SSE = 1+1+1+4 = 7, SST = .0625·... = (.25² + .75² + .75² + 1.25²) = 2.75 → 1 - 7/2.75
  assert.ok(Math.abs(r2[1]! - (1 - 7 / 2.75)) < 1e-12);
});

test('histogram2d(x, y, { bins, lo, hi }) bins pairs, clips outliers, honours the mask', () => {
  const h = histogram2d([0.1, 0.6, 2, -1, Number.NaN], [0.9, 0.6, 2, 0.2, 0], { bins: 2, lo: 0, hi: 1 });
  assert.deepEqual(h.xEdges, [0, 0.5, 1]);
  assert.deepEqual(h.counts, [[1, 1], [0, 2]]);
  assert.deepEqual(histogram2d([0.1, 0.6], [0.1, 0.6], { bins: 2, lo: 0, hi: 1, mask: [0, 1] }).counts, [[0, 0], [0, 1]]);
});

test('compareSpaces(a, b) counts overlap and the difference where either is significant', () => {
  const c = compareSpaces(
    { name: 'music', r: [0.5, 0.3, 0.0, 0.1], significant: [1, 1, 0, 0] },
    { name: 'genre', r: [0.2, 0.4, 0.3, 0.0], significant: [1, 0, 1, 0] },
    { bins: 2, lo: 0, hi: 1 },
  );
  assert.deepEqual(c.counts, { both: 1, onlyA: 1, onlyB: 1, neither: 1 });
  assert.equal(c.eitherSignificant.n, 3);
  assert.equal(c.eitherSignificant.aBetter, 1);
  assert.ok(Math.abs(c.eitherSignificant.meanDiff - (0.3 - 0.1 - 0.3) / 3) < 1e-7);
  assert.ok(Math.abs(c.diff[0]! - 0.3) < 1e-7);
  // (0.5, 0.2) → x bin 1, y bin 0; (0.3, 0.4) and (0.0, 0.3) → bin (0, 0); voxel 3 is in neither
  assert.deepEqual(c.histogram.counts, [[2, 0], [1, 0]]);
});

test('partitionVariance(r2A, r2B, r2AB) splits the joint R² into unique and shared parts that sum to it', () => {
  const p = partitionVariance([0.3, 0.1], [0.2, 0.1], [0.4, 0.15]);
  assert.deepEqual([...p.uniqueA].map((v) => +v.toFixed(6)), [0.2, 0.05]);
  assert.deepEqual([...p.uniqueB].map((v) => +v.toFixed(6)), [0.1, 0.05]);
  assert.deepEqual([...p.shared].map((v) => +v.toFixed(6)), [0.1, 0.05]);
  assert.ok(Math.abs(p.uniqueA[1]! + p.uniqueB[1]! + p.shared[1]! - 0.15) < 1e-7);
});

test('roiSummary(sig, r, atlas) counts significant voxels per ROI, most first, label 0 left out', () => {
  const s = roiSummary([1, 1, 0, 1, 1, 0], [0.5, 0.3, 0.1, 0.2, 0.9, 0.2], { labels: Int32Array.of(1, 1, 1, 2, 0, 3), names: new Map([[1, 'A1'], [2, 'STG']]) });
  assert.deepEqual(s.map((x) => [x.name, x.nVoxels, x.nSignificant]), [['A1', 3, 2], ['STG', 1, 1], ['roi-3', 1, 0]]);
  assert.ok(Math.abs(s[0]!.meanSignificantR - 0.4) < 1e-12);
  assert.ok(Math.abs(s[0]!.fraction - 2 / 3) < 1e-12);
});
