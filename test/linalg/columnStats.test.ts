import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMeans, columnStds, createRng, mulberry32, pearsonColumns, randomNormal, zscoreColumns, type Matrix } from '../../src/linalg/index.ts';

const m: Matrix = { rows: 4, cols: 3, data: new Float32Array([1, 5, 2, 2, 5, 4, 3, 5, 6, 6, 5, 8]) };

test('columnMeans(m) and columnStds(m) match hand-computed values (ddof 0 and 1)', () => {
  assert.deepEqual(Array.from(columnMeans(m)), [3, 5, 5]);
  const s = columnStds(m);
  assert.ok(Math.abs(s[0] - Math.sqrt(14 / 4)) < 1e-15);
  assert.equal(s[1], 0);
  assert.ok(Math.abs(s[2] - Math.sqrt(20 / 4)) < 1e-15);
  assert.ok(Math.abs(columnStds(m, { ddof: 1 })[2] - Math.sqrt(20 / 3)) < 1e-15);
});

test('zscoreColumns(m) gives mean 0, std 1, and zeros for a constant column; given statistics are applied as is', () => {
  const z = zscoreColumns(m);
  assert.ok(z.data instanceof Float32Array);
  const mean = columnMeans(z);
  const std = columnStds(z);
  assert.ok(Math.abs(mean[0]) < 1e-7 && Math.abs(std[0] - 1) < 1e-6 && Math.abs(std[2] - 1) < 1e-6);
  assert.deepEqual([z.data[1], z.data[4], z.data[7], z.data[10]], [0, 0, 0, 0]);
  const given = zscoreColumns(m, { mean: new Float64Array([1, 0, 0]), std: new Float64Array([2, 1, 0]) });
  assert.deepEqual(Array.from(given.data.slice(0, 3)), [0, 5, 0]);
});

test('pearsonColumns(a, b) matches a two-pass reference, is ±1 for affine relations and 0 for a constant column', () => {
  const a: Matrix = { rows: 5, cols: 3, data: new Float64Array([1, 1, 7, 2, 2, 7, 3, 0, 7, 4, 5, 7, 5, 1, 7]) };
  const b: Matrix = { rows: 5, cols: 3, data: new Float64Array([3, 2, 1, 5, 1, 2, 7, 4, 3, 9, 2, 4, 11, 3, 5]) };
  const r = pearsonColumns(a, b);
  assert.ok(Math.abs(r[0] - 1) < 1e-15);
  // column 1 by hand: x = [1,2,0,5,1], y = [2,1,4,2,3]
  const x = [1, 2, 0, 5, 1];
  const y = [2, 1, 4, 2, 3];
  const mx = 9 / 5;
  const my = 12 / 5;
  const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0);
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const syy = y.reduce((s, v) => s + (v - my) ** 2, 0);
  assert.ok(Math.abs(r[1] - sxy / Math.sqrt(sxx * syy)) < 1e-15);
  assert.equal(r[2], 0);
  const neg: Matrix = { rows: 5, cols: 1, data: new Float32Array([1, 2, 3, 4, 5]) };
  assert.ok(Math.abs(pearsonColumns(neg, { rows: 5, cols: 1, data: new Float32Array([10, 8, 6, 4, 2]) })[0] + 1) < 1e-12);
});

test('mulberry32(seed) and createRng(seed) are deterministic, uniform in [0, 1) and normal with mean 0 and variance 1', () => {
  const u1 = mulberry32(42);
  const u2 = mulberry32(42);
  const a = Array.from({ length: 5 }, u1);
  assert.deepEqual(a, Array.from({ length: 5 }, u2));
  assert.notDeepEqual(a, Array.from({ length: 5 }, mulberry32(43)));
  const n = 200000;
  const u = mulberry32(1);
  let sum = 0;
  let min = 1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = u();
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005 && min >= 0 && max < 1);
  const z = Array.from(randomNormal(n, createRng(5), 'float64'));
  const mean = z.reduce((s, v) => s + v, 0) / n;
  const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance - 1) < 0.02, `mean ${mean} var ${variance}`);
  assert.deepEqual(Array.from(randomNormal(4, createRng(9))), Array.from(randomNormal(4, createRng(9))));
  const items = createRng(3).shuffle([1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...items].sort(), [1, 2, 3, 4, 5, 6]);
  const k = createRng(4);
  for (let i = 0; i < 100; i++) {
    const v = k.int(7);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
  }
});
