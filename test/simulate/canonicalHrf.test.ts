import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHrf } from '../../src/simulate/index.ts';

test('canonicalHrf(dt) peaks near 5 s, undershoots near 15 s, sums to 1', () => {
  const dt = 0.1;
  const h = canonicalHrf(dt);
  assert.equal(h.length, 321);
  let peak = 0;
  let trough = 0;
  for (let i = 0; i < h.length; i++) {
    if (h[i] > h[peak]) peak = i;
    if (h[i] < h[trough]) trough = i;
  }
  assert.ok(Math.abs(peak * dt - 5) <= 0.2, `peak at ${peak * dt} s`);
  assert.ok(trough * dt > 13 && trough * dt < 17, `undershoot at ${trough * dt} s`);
  assert.ok(h[trough] < 0 && h[0] === 0);
  assert.ok(Math.abs(h.reduce((s, x) => s + x, 0) - 1) < 1e-12);
  // independent reference: g(t, a) = t^(a-1) e^-t / (a-1)!; h ∝ g(t, 6) - g(t, 16) / 6
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const ref = (t: number): number => (t ** 5 * Math.exp(-t)) / fact(5) - (t ** 15 * Math.exp(-t)) / fact(15) / 6;
  assert.ok(Math.abs(h[peak] / h[trough] - ref(peak * dt) / ref(trough * dt)) < 1e-9);
  assert.ok(Math.abs(h[30] / h[peak] - ref(3) / ref(peak * dt)) < 1e-9);
});
