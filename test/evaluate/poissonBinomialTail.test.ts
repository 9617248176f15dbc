import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poissonBinomialTail } from '../../src/evaluate/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

/** P(X ≥ k) by enumerating all 2ⁿ outcomes (independent reference). */
function enumerated(p: number[], k: number): number {
  let tail = 0;
  for (let m = 0; m < 1 << p.length; m++) {
    let prob = 1, c = 0;
    p.forEach((q, i) => { if (m & (1 << i)) { prob *= q; c++; } else prob *= 1 - q; });
    if (c >= k) tail += prob;
  }
  return tail;
}

const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };

test('poissonBinomialTail(p, k) equals the enumerated tail of unequal trials and the closed-form binomial tail of equal ones (1e-12 absolute, 1e-10 relative)', () => {
  const p = [0.1, 0.5, 0.05, 0.9, 0.3, 0.2, 0.7, 0.15, 0.6, 0.25];
  for (let k = 0; k <= p.length + 1; k++) assert.ok(Math.abs(poissonBinomialTail(p, k) - enumerated(p, k)) < 1e-12, `k = ${k}`);
  const n = 40, q = 0.1;
  for (const k of [0, 4, 10, 20, 40]) {
    let want = 0;
    for (let c = k; c <= n; c++) want += choose(n, c) * q ** c * (1 - q) ** (n - c);
    const got = poissonBinomialTail(new Array(n).fill(q), k);
    assert.ok(Math.abs(got - want) <= 1e-12 + 1e-10 * want, `k = ${k}: ${got} vs ${want}`);
  }
  // a tail far below double precision's epsilon keeps its relative accuracy
  const tiny = poissonBinomialTail(new Array(60).fill(0.1), 60);
  assert.ok(Math.abs(tiny / 1e-60 - 1) < 1e-9, String(tiny));
});

test('poissonBinomialTail refuses a probability outside [0, 1] and a fractional count', () => {
  assert.throws(() => poissonBinomialTail([0.5, 1.5], 1), (e: unknown) => e instanceof Brain2MusicError && /probability 1 is 1.5/.test(e.message));
  assert.throws(() => poissonBinomialTail([0.5], 0.5), Brain2MusicError);
});
