import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pearsonPerDimension } from './imports.ts';
import { randn } from './rng.ts';

test('pearsonPerDimension(P, T) of a hand-worked case is [1, -1], constant column 0', () => {
  const res = pearsonPerDimension([1, 5, 7, /**/ 2, 4, 7, /**/ 3, 3, 7], [2, 1, 0, /**/ 4, 2, 1, /**/ 6, 3, 2], 3, 3);
  assert.deepEqual([...res.perDim], [1, -1, 0]);
  assert.equal(res.mean, 0);
});

test('pearsonPerDimension(P, T) matches a two-pass reference per column', () => {
  const n = 50, dim = 5;
  const P = randn(n * dim, 20), T = randn(n * dim, 21);
  for (let k = 0; k < P.length; k++) P[k] += T[k] * (k % dim) * 0.5;
  const res = pearsonPerDimension(P, T, n, dim);
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < n; i++) { x.push(P[i * dim + d]); y.push(T[i * dim + d]); }
    const mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
    const num = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0);
    const r = num / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    assert.ok(Math.abs(res.perDim[d] - r) < 1e-12, `dim ${d}: ${res.perDim[d]} vs ${r}`);
    sum += r;
  }
  assert.ok(Math.abs(res.mean - sum / dim) < 1e-12);
  assert.ok(res.perDim[4] > res.perDim[1], 'more signal, higher r');
});
