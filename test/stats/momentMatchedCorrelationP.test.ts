import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianNullP, momentMatchedCorrelationP } from '../../src/stats/index.ts';
import { python } from './scipy.ts';

const CASES: [number, number][] = [[0.3, 1 / 59], [0.6, 0.021], [0.05, 0.004], [0.9, 0.08], [-0.2, 0.03], [0.45, 1 / 17.5]];

test('momentMatchedCorrelationP(r, v) is the t-test of r with n_eff = 1 + 1/v samples (scipy.stats.t.sf, non-integer df)', () => {
  const ref = python<number[][]>(`
import json, sys, math
from scipy.stats import t
out = []
for r, v in json.loads(sys.argv[1]):
    n = 1 + 1 / v
    tt = r * math.sqrt((n - 2) / (1 - r * r))
    out.append([float(t.sf(tt, n - 2)), float(2 * t.sf(abs(tt), n - 2))])
print(json.dumps(out))`, JSON.stringify(CASES));
  CASES.forEach(([r, v], i) => {
    const [up, two] = ref[i]!;
    assert.ok(Math.abs(momentMatchedCorrelationP(r, v) - up!) < 1e-10 * up!, `r ${r}, v ${v}: ${momentMatchedCorrelationP(r, v)} vs ${up}`);
    assert.ok(Math.abs(momentMatchedCorrelationP(r, v, 'two-sided') - two!) < 1e-10 * two!, `r ${r}, v ${v}, two-sided`);
  });
});

test('momentMatchedCorrelationP(r, 1/(n − 1)) equals gaussianNullP(r, n); NaN for v ≥ 1/2 or NaN r', () => {
  for (const [r, n] of [[0.3, 60], [0.1, 600], [0.7, 12]] as const) {
    const g = gaussianNullP([r], n)[0]!;
    assert.ok(Math.abs(momentMatchedCorrelationP(r, 1 / (n - 1)) - g) < 1e-12 * g);
  }
  assert.ok(Number.isNaN(momentMatchedCorrelationP(0.3, 0.5)));
  assert.ok(Number.isNaN(momentMatchedCorrelationP(Number.NaN, 0.01)));
});
