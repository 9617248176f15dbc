import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andersonDarling, gpdAndersonDarlingP, gpdLogSf } from '../../src/stats/index.ts';
import { python } from './scipy.ts';

test('andersonDarling(ln F, ln(1 − F)) equals scipy.stats.goodness_of_fit(genpareto, …, statistic="ad").statistic', () => {
  const cases = python<{ c: number; s: number; y: number[]; ad: number }[]>(`
import json
import numpy as np
from scipy import stats
rng = np.random.default_rng(9)
out = []
for c, s, true_c in [(-0.2, 1.5, -0.2), (0.1, 1.0, 0.1), (0.0, 1.0, -0.3)]:  # the last one fits badly
    y = np.sort(stats.genpareto(true_c).rvs(size=300, random_state=rng))
    r = stats.goodness_of_fit(stats.genpareto, y, known_params={'c': c, 'loc': 0, 'scale': s}, statistic='ad', n_mc_samples=9, random_state=1)
    out.append({'c': c, 's': s, 'y': y.tolist(), 'ad': float(r.statistic)})
print(json.dumps(out))`);
  for (const { c, s, y, ad } of cases) {
    const logSf = y.map((v) => gpdLogSf(v, c, s));
    const a2 = andersonDarling(logSf.map((l) => Math.log(-Math.expm1(l))), logSf);
    assert.ok(Math.abs(a2 - ad) < 1e-9 * Math.max(1, ad), `c ${c}: ${a2} vs scipy ${ad}`);
  }
  assert.ok(cases[2]!.ad > 2, 'the misfit case is a misfit');
  // a value beyond the fitted support: F = 1 → +∞
  assert.equal(andersonDarling([Math.log(0.5), 0], [Math.log(0.5), Number.NEGATIVE_INFINITY]), Number.POSITIVE_INFINITY);
});

test('gpdAndersonDarlingP(a2, shape) reads Choulakian & Stephens\' table: its nodes exactly, between rows and columns linearly, clamped', () => {
  // table nodes (k = −ξ): k = 0 → A² 0.974 at p 0.05, 2.064 at 0.001; k = 0.2 → 0.903 at 0.05; k = −0.5 → 1.321 at 0.05
  assert.ok(Math.abs(gpdAndersonDarlingP(0.974, 0) - 0.05) < 1e-12);
  assert.ok(Math.abs(gpdAndersonDarlingP(2.064, 0) - 0.001) < 1e-12);
  assert.ok(Math.abs(gpdAndersonDarlingP(0.903, -0.2) - 0.05) < 1e-12);
  assert.ok(Math.abs(gpdAndersonDarlingP(1.321, 0.5) - 0.05) < 1e-12);
  // halfway between rows k = 0.2 and 0.1 (ξ = −0.15): critical value (0.903 + 0.935)/2 at p 0.05
  assert.ok(Math.abs(gpdAndersonDarlingP(0.919, -0.15) - 0.05) < 1e-12);
  // halfway between the 0.05 and 0.025 columns of row k = 0: p halfway
  assert.ok(Math.abs(gpdAndersonDarlingP((0.974 + 1.158) / 2, 0) - 0.0375) < 1e-12);
  // shapes outside the table use its end rows; p is clamped to [0, 1]
  assert.equal(gpdAndersonDarlingP(0.771, -3), gpdAndersonDarlingP(0.771, -0.9));
  assert.ok(Math.abs(gpdAndersonDarlingP(0.771, -3) - 0.05) < 1e-12);
  assert.equal(gpdAndersonDarlingP(0.01, 0), 1);
  assert.equal(gpdAndersonDarlingP(9, 0), 0);
  assert.equal(gpdAndersonDarlingP(Number.POSITIVE_INFINITY, 0), 0);
  // larger A² never gives a larger p
  let last = 2;
  for (let a = 0.2; a < 3.5; a += 0.01) { const p = gpdAndersonDarlingP(a, -0.25); assert.ok(p <= last); last = p; }
});
