import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpdLogSf, gpdSf } from '../../src/stats/index.ts';
import { python } from './scipy.ts';

const SHAPES = [-0.45, -0.2, 0, 1e-13, 0.15, 0.4];
const YS = [0, 1e-9, 0.3, 1, 2.5, 4.9, 5.1, 12, 80];

test('gpdSf(y, shape, scale) matches scipy.stats.genpareto.sf(y, c = shape, scale = scale), 0 beyond a bounded tail', () => {
  const ref = python<number[][]>(`
import json, sys
from scipy.stats import genpareto
shapes = json.loads(sys.argv[1]); ys = json.loads(sys.argv[2])
print(json.dumps([[float(genpareto.sf(y, c, scale=2.0)) for y in ys] for c in shapes]))`, JSON.stringify(SHAPES), JSON.stringify(YS));
  SHAPES.forEach((c, i) => YS.forEach((y, j) => {
    const e = ref[i]![j]!, a = gpdSf(y, c, 2);
    if (e === 0) assert.equal(a, 0, `c ${c}, y ${y}`);
    else assert.ok(Math.abs(a - e) <= 1e-12 * e, `c ${c}, y ${y}: ${a} vs scipy ${e}`);
  }));
  // bounded tail: endpoint σ/|ξ| = 2/0.45 ≈ 4.44, so 4.9 and beyond are impossible
  assert.equal(gpdSf(4.9, -0.45, 2), 0);
  assert.equal(gpdLogSf(4.9, -0.45, 2), Number.NEGATIVE_INFINITY);
});

test('gpdLogSf(y, …) is exact where gpdSf underflows, and y ≤ 0 or NaN give log 0 and NaN', () => {
  // exponential limit: ln P(Y > 1000) = -1000/σ, far below what a double can hold as P
  assert.equal(gpdSf(1000, 0, 1), 0);
  assert.equal(gpdLogSf(1000, 0, 1), -1000);
  assert.ok(Math.abs(gpdLogSf(1e6, 0.1, 1) - -Math.log1p(1e5) / 0.1) < 1e-9);
  assert.equal(gpdLogSf(-3, 0.2, 1), 0);
  assert.ok(Number.isNaN(gpdLogSf(Number.NaN, 0.2, 1)));
});
