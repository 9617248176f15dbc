import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapMeanCi, assertFails } from './imports.ts';
import { randn } from './rng.ts';
import { python } from '../stats/scipy.ts';

test('bootstrapMeanCi(0/1 scores) is the exact bootstrap interval: quantiles of Binomial(n, k/n)/n (scipy.stats.binom.ppf)', () => {
  // Resampling n items of which k score 1 gives a mean ~ Binomial(n, k/n)/n exactly, so the
  // percentile interval must be binom.ppf(0.025) / n and binom.ppf(0.975) / n. The cases are
  // chosen with those quantiles away from a jump of the CDF (margin ≥ 0.005 on each side, 4.5
  // standard errors of the empirical CDF of 20,000 resamples), so they cannot land on the next value.
  const cases: [number, number][] = [[20, 6], [30, 10], [40, 15], [60, 6]];
  const ref = python<{ lo: number; hi: number; margin: number }[]>(`
import json, sys
from scipy.stats import binom
out = []
for n, k in json.loads(sys.argv[1]):
    lo, hi = binom.ppf(0.025, n, k / n), binom.ppf(0.975, n, k / n)
    m = min(0.025 - binom.cdf(lo - 1, n, k / n), binom.cdf(lo, n, k / n) - 0.025, 0.975 - binom.cdf(hi - 1, n, k / n), binom.cdf(hi, n, k / n) - 0.975)
    out.append({'lo': lo / n, 'hi': hi / n, 'margin': m})
print(json.dumps(out))`, JSON.stringify(cases));
  cases.forEach(([n, k], i) => {
    const values = Float64Array.from({ length: n }, (_, j) => (j < k ? 1 : 0));
    const ci = bootstrapMeanCi(values, { nBoot: 20_000, seed: 3 });
    assert.ok(ref[i]!.margin >= 0.005, `case ${n}, ${k}: margin ${ref[i]!.margin}`);
    assert.deepEqual([ci.lo, ci.hi], [ref[i]!.lo, ref[i]!.hi], `n ${n}, k ${k}`);
    assert.deepEqual([ci.nBoot, ci.seed, ci.level], [20_000, 3, 0.95]);
  });
});

test('bootstrapMeanCi(values) of 200 continuous scores matches the closed form mean ± 1.96·s/√n within 3% of its half-width', () => {
  // the bootstrap distribution of a mean of n = 200 symmetric values is close to normal with
  // standard deviation s/√n, s the population (1/n) standard deviation of the values
  const n = 200;
  const values = randn(n, 5).map((x) => 0.7 + 0.1 * x);
  const m = values.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  const half = 1.959964 * s / Math.sqrt(n);
  const ci = bootstrapMeanCi(values, { nBoot: 40_000, seed: 1 });
  assert.ok(Math.abs(ci.lo - (m - half)) < 0.03 * half && Math.abs(ci.hi - (m + half)) < 0.03 * half, `[${ci.lo}, ${ci.hi}] vs ${m} ± ${half}`);
});

test('bootstrapMeanCi(values, { clusters }) resamples whole clusters: with equal clusters it is the bootstrap of their means, same seed', () => {
  const clipMeans = randn(12, 8);
  const windows = Float64Array.from({ length: 48 }, (_, i) => clipMeans[Math.floor(i / 4)]! + (i % 4 - 1.5) * 0.01);
  const clusters = Int32Array.from({ length: 48 }, (_, i) => Math.floor(i / 4));
  const perWindow = bootstrapMeanCi(windows, { clusters, seed: 9, nBoot: 5000 });
  const perClip = bootstrapMeanCi(Float64Array.from({ length: 12 }, (_, c) => clipMeans[c]!), { seed: 9, nBoot: 5000 });
  assert.ok(Math.abs(perWindow.lo - perClip.lo) < 1e-12 && Math.abs(perWindow.hi - perClip.hi) < 1e-12);
  // treating the 48 windows as independent understates the spread
  const naive = bootstrapMeanCi(windows, { seed: 9, nBoot: 5000 });
  assert.ok(naive.hi - naive.lo < 0.75 * (perWindow.hi - perWindow.lo));
  // deterministic, and a different seed moves it
  assert.deepEqual(bootstrapMeanCi(windows, { clusters, seed: 9, nBoot: 5000 }), perWindow);
  assert.notDeepEqual(bootstrapMeanCi(windows, { clusters, seed: 10, nBoot: 5000 }), perWindow);
  assertFails(() => bootstrapMeanCi([1]), 'BAD_INPUT');
  assertFails(() => bootstrapMeanCi([1, 2], { clusters: [0] }), 'MISMATCH');
});
