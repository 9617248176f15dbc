import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detrendRunningMedian, medianWindowScans, zscoreRun } from '../../src/bids/index.ts';

function naiveMedian(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

test('medianWindowScans(tr) is 240 s rounded to an odd number of scans', () => {
  assert.equal(medianWindowScans(1.5), 161);
  assert.equal(medianWindowScans(2), 121);
  assert.equal(medianWindowScans(1), 241);
});

test('detrendRunningMedian(data) subtracts a centred, edge-truncated running median per voxel', () => {
  const nScans = 57;
  const V = 3;
  const w = 9;
  const data = new Float32Array(nScans * V);
  let s = 3;
  for (let i = 0; i < data.length; i++) {
    s = (s * 16807) % 2147483647;
    data[i] = (s % 1000) / 10 + (i % V) * 0.5 * Math.floor(i / V); // noise + a per-voxel drift, with ties
  }
  const orig = Array.from(data);
  detrendRunningMedian(data, nScans, V, w);
  for (let v = 0; v < V; v++) {
    const col = Array.from({ length: nScans }, (_, t) => orig[t * V + v]);
    for (let t = 0; t < nScans; t++) {
      const win = col.slice(Math.max(0, t - 4), Math.min(nScans, t + 5));
      assert.ok(Math.abs(data[t * V + v] - Math.fround(col[t] - naiveMedian(win))) < 1e-4, `v ${v} t ${t}`);
    }
  }
});

test('detrendRunningMedian(data) removes a linear drift exactly away from the edges', () => {
  const n = 410;
  const data = Float32Array.from({ length: n }, (_, t) => 5 + 0.25 * t);
  detrendRunningMedian(data, n, 1, 161);
  for (let t = 80; t < n - 80; t++) assert.equal(data[t], 0);
  assert.equal(data[0], 0.25 * 0 - 0.25 * 40); // window [0, 80]: median at scan 40
});

test('zscoreRun(data) gives mean 0 and population sd 1 per voxel; constant voxels become 0', () => {
  const data = Float32Array.from([1, 7, 2, 7, 3, 7, 6, 7]); // 4 scans × 2 voxels
  zscoreRun(data, 4, 2);
  const sd = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 4);
  assert.deepEqual(Array.from(data), [(1 - 3) / sd, 0, (2 - 3) / sd, 0, 0, 0, (6 - 3) / sd, 0].map(Math.fround));
});
