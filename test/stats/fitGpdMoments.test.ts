import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGpdMoments } from '../../src/stats/index.ts';
import { python } from './scipy.ts';

interface Case { c: number; scale: number; y: number[]; mv: number[]; mle: number[] }

// Samples of 5,000 drawn by numpy from genpareto(c, scale); for each, the mean and variance scipy
// gives the fitted distribution, and scipy's own (maximum-likelihood) fit with floc = 0.
const CASES = python<Case[]>(`
import json
import numpy as np
from scipy.stats import genpareto
out = []
rng = np.random.default_rng(4)
for c, s in [(-0.4, 1.0), (-0.2, 0.5), (0.0, 2.0), (0.2, 1.0)]:
    y = genpareto(c, scale=s).rvs(size=5000, random_state=rng)
    m = y.mean(); v = y.var(ddof=1); ratio = m * m / v
    xi, sig = (1 - ratio) / 2, m * (1 + ratio) / 2
    out.append({'c': c, 'scale': s, 'y': y.tolist(), 'mv': [float(x) for x in genpareto.stats(xi, scale=sig, moments='mv')],
                'mle': [float(x) for x in genpareto.fit(y, floc=0)[::2]]})
print(json.dumps(out))`);

test('fitGpdMoments(y) gives the GPD whose mean and variance (scipy genpareto.stats) equal the sample mean and unbiased variance', () => {
  for (const { c, y, mv } of CASES) {
    const fit = fitGpdMoments(y);
    const n = y.length, m = y.reduce((a, b) => a + b, 0) / n;
    const v = y.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    // the fitted distribution's moments, by the closed form: mean σ/(1−ξ), variance σ²/((1−ξ)²(1−2ξ))
    assert.ok(Math.abs(fit.scale / (1 - fit.shape) - m) < 1e-12 * m, `c ${c}: mean`);
    assert.ok(Math.abs(fit.scale ** 2 / ((1 - fit.shape) ** 2 * (1 - 2 * fit.shape)) - v) < 1e-11 * v, `c ${c}: variance`);
    // and scipy's moments of the same fit (computed there from the same closed form of ξ, σ)
    assert.ok(Math.abs(mv[0]! - m) < 1e-10 * m && Math.abs(mv[1]! - v) < 1e-10 * v, `c ${c}: scipy moments ${mv}`);
  }
});

test('fitGpdMoments(y) recovers the shape and scale of 5,000 GPD draws within 0.05 and 5%, near scipy\'s maximum-likelihood fit', () => {
  for (const { c, scale, y, mle } of CASES) {
    const fit = fitGpdMoments(y);
    // sampling error of the moment estimator at n = 5,000: sd(ξ̂) ≈ 0.015-0.03 for these shapes
    assert.ok(Math.abs(fit.shape - c) < 0.05, `c ${c}: ξ̂ ${fit.shape}`);
    assert.ok(Math.abs(fit.scale / scale - 1) < 0.05, `c ${c}: σ̂ ${fit.scale}`);
    assert.ok(Math.abs(fit.shape - mle[0]!) < 0.05 && Math.abs(fit.scale / mle[1]! - 1) < 0.05, `c ${c}: moments ${fit.shape}, ${fit.scale} vs MLE ${mle}`);
  }
});

test('fitGpdMoments(y) is NaN without spread and rejects fewer than 2 values', () => {
  assert.deepEqual(fitGpdMoments([1, 2, 3]), { shape: -1.5, scale: 5 }); // m = 2, s² = 1
  assert.ok(Number.isNaN(fitGpdMoments([2, 2, 2]).shape));
  assert.throws(() => fitGpdMoments([1]), { code: 'BAD_INPUT' });
});
