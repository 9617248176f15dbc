import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/linalg/index.ts';
import { fitGpdTail, P_SOURCE, permutationP, tailP } from '../../src/stats/index.ts';

const exponential = (n: number, seed: number) => { const u = createRng(seed); return Float64Array.from({ length: n }, () => -Math.log(1 - u.uniform())); };

test('permutationP(x, null, { pTail: "none" }) is (1 + #{null ≥ x}) / (1 + n)', () => {
  const nul = [0.1, 0.5, 0.5, 0.9, 1.2];
  assert.deepEqual(permutationP(0.5, nul, { pTail: 'none' }), { p: 5 / 6, pEmpirical: 5 / 6, source: P_SOURCE.empirical, fit: null });
  assert.equal(permutationP(2, nul, { pTail: 'none' }).p, 1 / 6);
  assert.ok(Number.isNaN(permutationP(Number.NaN, nul).p));
  assert.throws(() => permutationP(1, []), { code: 'BAD_INPUT' });
  assert.throws(() => permutationP(1, nul, { pTail: 'pareto' as 'gpd' }), { code: 'BAD_INPUT', message: /pTail 'pareto'/ });
});

test('permutationP(x, null) goes below the floor 1/(1 + n) beyond every permutation: 1,000 Exp(1) draws, x at p = 1e-5', () => {
  const nul = exponential(1000, 3);
  const x = Math.log(1e5); // P(X ≥ x) = 1e-5 exactly
  const res = permutationP(x, nul);
  assert.equal(res.pEmpirical, 1 / 1001);
  assert.equal(res.source, P_SOURCE.gpd);
  assert.equal(res.p, tailP(x, fitGpdTail(nul)!));
  // within a factor 3 of the truth from a 1,000-draw fit two decades beyond the data (measured ratio 0.84)
  assert.ok(res.p > 1e-5 / 3 && res.p < 3e-5, `p ${res.p}`);
});

test('permutationP(x, null) keeps the empirical p wherever a permutation reaches x, and never returns more than it', () => {
  const nul = exponential(1000, 4);
  const sorted = Float64Array.from(nul).sort();
  const at = (k: number) => sorted[1000 - k]!; // reached by exactly k permutations
  for (const k of [1, 9, 40, 150]) assert.deepEqual(permutationP(at(k), nul), { p: (1 + k) / 1001, pEmpirical: (1 + k) / 1001, source: P_SOURCE.empirical, fit: null }, `k ${k}`);
  // Knijnenburg's rule (counts below 10 refined) and PALM's (every p below 0.1), each capped at the count's p
  for (const k of [1, 5, 9]) {
    const r = permutationP(at(k), nul, { reliableCount: 10 });
    assert.equal(r.source, P_SOURCE.gpd, `k ${k}`);
    assert.equal(r.p, Math.min(tailP(at(k), r.fit!), (1 + k) / 1001));
  }
  assert.equal(permutationP(at(40), nul, { reliableCount: Number.POSITIVE_INFINITY }).source, P_SOURCE.gpd);
  assert.equal(permutationP(at(150), nul, { reliableCount: Number.POSITIVE_INFINITY }).source, P_SOURCE.empirical);
  // just beyond the largest permutation the fit could exceed 1/(1 + n); the p never does
  assert.ok(permutationP(sorted[999]! + 1e-9, nul).p <= 1 / 1001);
});

test('permutationP(x, null, { transform }) counts on the given values and fits the tail on the transformed ones', () => {
  const nul = exponential(2000, 5).map((e) => Math.sqrt(e)); // √Exp: a Weibull tail, exponential again after squaring
  const x = Math.sqrt(Math.log(1e6));
  const sq = (v: number) => v * v;
  const res = permutationP(x, nul, { transform: sq });
  assert.equal(res.p, tailP(x * x, fitGpdTail(nul.map(sq))!));
  assert.equal(res.pEmpirical, 1 / 2001);
  assert.ok(res.p > 1e-6 / 3 && res.p < 3e-6, `p ${res.p}`);
});

test('permutationP(x, null, { fallbackP }) uses the fallback, capped at the empirical p, where no tail fit applies', () => {
  // no GPD fits a two-point tail; x beyond every permutation
  const lumpy = Float64Array.from({ length: 2000 }, (_, i) => (i < 1000 ? i / 1000 : 5 + (i % 2) * 5));
  assert.equal(fitGpdTail(lumpy), null);
  assert.deepEqual(permutationP(11, lumpy, { fallbackP: () => 1e-7 }), { p: 1e-7, pEmpirical: 1 / 2001, source: P_SOURCE.moments, fit: null });
  assert.equal(permutationP(11, lumpy, { fallbackP: () => 0.3 }).p, 1 / 2001);
  assert.equal(permutationP(11, lumpy, { fallbackP: () => Number.NaN }).source, P_SOURCE.empirical);
  assert.equal(permutationP(11, lumpy).p, 1 / 2001);
  // reached by some permutation: the count stays
  assert.equal(permutationP(9.5, lumpy, { fallbackP: () => 1e-7 }).source, P_SOURCE.empirical);
});

test('permutationP(x, null) never returns a GPD p of 0: beyond a bounded tail\'s endpoint it falls back', () => {
  // uniform draws: a bounded tail (ξ̂ ≈ −1), endpoint near 1
  const u = createRng(8);
  const nul = Float64Array.from({ length: 1000 }, () => u.uniform());
  const fit = fitGpdTail(nul)!;
  assert.ok(fit.shape < -0.5);
  const beyond = fit.threshold - fit.scale / fit.shape + 0.01;
  assert.equal(tailP(beyond, fit), 0);
  const res = permutationP(beyond, nul, { fallbackP: () => 1e-9 });
  assert.equal(res.source, P_SOURCE.moments);
  assert.equal(res.p, 1e-9);
});
