import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agreementChance, agreementWithUncertainty, bootstrapMeanCi, identificationAccuracy, identificationWithUncertainty, nWayTop1, nWayTop1WithUncertainty,
  rankWithinRows, rowCorrelations, assertFails,
} from './imports.ts';
import { allPermutations } from './permutations.ts';
import { randn } from './rng.ts';

/** Predictions = a·targets + noise, n × dim. */
function noisy(n: number, dim: number, a: number, seed: number): { P: Float64Array; T: Float64Array } {
  const T = randn(n * dim, seed), e = randn(n * dim, seed + 1);
  return { P: T.map((t, k) => a * t + e[k]!), T };
}
/** Identification accuracy with target π(i) as item i's own, by the definition (brute force). */
function identificationOf(P: Float64Array, T: Float64Array, n: number, dim: number, pi: number[]): number {
  const C = rowCorrelations(P, T, n, dim);
  let s = 0;
  for (let i = 0; i < n; i++) {
    let wins = 0;
    for (let j = 0; j < n; j++) if (j !== i && C[i * n + pi[i]!]! > C[i * n + pi[j]!]!) wins++;
    s += wins / (n - 1);
  }
  return s / n;
}

test('identificationWithUncertainty(P, T, …) has identificationAccuracy\'s value, a seeded bootstrap interval and the exact pairing p on 6 clips', () => {
  const n = 6, dim = 8;
  const { P, T } = noisy(n, dim, 0.5, 3);
  const res = identificationWithUncertainty(P, T, n, dim, { unit: 'clips', split: 'test', seed: 2, nBoot: 4000 });
  const acc = identificationAccuracy(P, T, n, dim);
  assert.ok(Math.abs(res.value - acc.mean) < 1e-15);
  assert.deepEqual([res.chance, res.n, res.nClips, res.unit, res.split, res.seed, res.nBoot], [0.5, 6, 6, 'clips', 'test', 2, 4000]);
  const ci = bootstrapMeanCi(acc.perItem, { seed: 2, nBoot: 4000 });
  assert.deepEqual(res.ci95, [ci.lo, ci.hi]);
  // 6! = 720 ≤ 10,000 pairings: exact, against the definition applied to every pairing
  const exact = allPermutations(n).filter((pi) => identificationOf(P, T, n, dim, pi) >= acc.mean - 1e-12).length / 720;
  assert.deepEqual([res.exact, res.nPerm], [true, 720]);
  assert.ok(Math.abs(res.p - exact) < 1e-15, `p ${res.p} vs enumeration ${exact}`);
});

test('identificationWithUncertainty(…, { unit: "windows" }) resamples and permutes clips with their windows', () => {
  const nClips = 7, W = 3, dim = 6, n = nClips * W;
  const { P, T } = noisy(n, dim, 0.6, 11);
  const res = identificationWithUncertainty(P, T, n, dim, { unit: 'windows', split: 'test', windowsPerClip: W, nBoot: 3000, seed: 1 });
  assert.deepEqual([res.n, res.nClips, res.unit], [21, 7, 'windows']);
  assert.equal(res.value, identificationAccuracy(P, T, n, dim).mean);
  const perItem = identificationAccuracy(P, T, n, dim).perItem;
  const ci = bootstrapMeanCi(perItem, { seed: 1, nBoot: 3000, clusters: Int32Array.from({ length: n }, (_, i) => Math.floor(i / W)) });
  assert.deepEqual(res.ci95, [ci.lo, ci.hi]);
  // 7! = 5040 pairings of clips, window w of clip c against window w of clip π(c)
  const exact = allPermutations(nClips).filter((pc) => {
    const pi = Array.from({ length: n }, (_, i) => pc[Math.floor(i / W)]! * W + (i % W));
    return identificationOf(P, T, n, dim, pi) >= res.value - 1e-12;
  }).length / 5040;
  assert.deepEqual([res.exact, res.nPerm], [true, 5040]);
  assert.ok(Math.abs(res.p - exact) < 1e-15, `p ${res.p} vs ${exact}`);
  assertFails(() => identificationWithUncertainty(P, T, n, dim, { unit: 'windows', split: 'test', windowsPerClip: 4 }), 'MISMATCH');
});

test('identificationWithUncertainty on 60 test clips: random pairings, an interval that covers chance without signal and excludes it with signal', () => {
  const n = 60, dim = 16;
  const none = noisy(n, dim, 0, 21), some = noisy(n, dim, 0.35, 23);
  const r0 = identificationWithUncertainty(none.P, none.T, n, dim, { unit: 'clips', split: 'test', nPerm: 2000, seed: 5 });
  const r1 = identificationWithUncertainty(some.P, some.T, n, dim, { unit: 'clips', split: 'test', nPerm: 2000, seed: 5 });
  console.log(`no signal: ${r0.value.toFixed(3)} [${r0.ci95.map((x) => x.toFixed(3)).join(', ')}], p ${r0.p.toFixed(4)}; signal: ${r1.value.toFixed(3)} [${r1.ci95.map((x) => x.toFixed(3)).join(', ')}], p ${r1.p.toFixed(4)}`);
  assert.equal(r0.exact, false);
  assert.ok(r0.ci95[0] <= 0.5 && r0.ci95[1] >= 0.5 && r0.p > 0.05, JSON.stringify(r0));
  assert.ok(r1.ci95[0] > 0.5 && r1.p === 1 / 2001, JSON.stringify(r1));
  // the interval has the width of a 60-clip score: ±0.03-0.1
  assert.ok(r1.ci95[1] - r1.ci95[0] > 0.04 && r1.ci95[1] - r1.ci95[0] < 0.25);
});

test('nWayTop1WithUncertainty(P, T, …) has nWayTop1\'s value and chance 1/N, the exact pairing p on 6 clips', () => {
  const n = 6, dim = 8;
  const { P, T } = noisy(n, dim, 0.8, 41);
  const res = nWayTop1WithUncertainty(P, T, n, dim, { unit: 'clips', split: 'test', seed: 1 });
  const top = nWayTop1(P, T, n, dim);
  assert.deepEqual([res.value, res.chance], [top.value, 1 / 6]);
  const C = rowCorrelations(P, T, n, dim);
  const topOf = (pi: number[]) => pi.filter((t, i) => pi.every((u, j) => j === i || C[i * n + t]! > C[i * n + u]!)).length / n;
  assert.equal(topOf([0, 1, 2, 3, 4, 5]), top.value);
  const exact = allPermutations(n).filter((pi) => topOf(pi) >= top.value - 1e-12).length / 720;
  assert.ok(res.exact && Math.abs(res.p - exact) < 1e-15, `p ${res.p} vs ${exact}`);
});

test('rankWithinRows(C, n) counts the targets each target beats in its row, strictly', () => {
  const C = [0.5, 0.1, 0.5, 0.9, /**/ 0, 0, 0, 0, /**/ 0.3, 0.2, 0.1, 0.4, /**/ -1, 1, 0, 0.5];
  assert.deepEqual([...rankWithinRows(C, 4)], [1, 0, 1, 3, /**/ 0, 0, 0, 0, /**/ 2, 1, 0, 3, /**/ 0, 3, 1, 2]);
});

test('agreementWithUncertainty(a, b, …) scores agreement beside Σ p_a·p_b, with the exact pairing p on 6 clips', () => {
  const a = ['x', 'y', 'z', 'x', 'x', 'y'], b = ['x', 'y', 'z', 'z', 'y', 'y'];
  const res = agreementWithUncertainty(a, b, { unit: 'clips', split: 'test', seed: 3 });
  assert.equal(res.value, 4 / 6);
  // p_a = (1/2, 1/3, 1/6), p_b = (1/6, 1/2, 1/3) for x, y, z
  assert.ok(Math.abs(res.chance - (0.5 / 6 + 1 / 6 + 1 / 18)) < 1e-15);
  // the mean agreement over all 720 pairings is exactly the chance level
  const perms = allPermutations(6);
  const agree = (pi: number[]) => pi.filter((t, i) => a[i] === b[t]).length / 6;
  assert.ok(Math.abs(perms.reduce((s, pi) => s + agree(pi), 0) / 720 - res.chance) < 1e-12);
  assert.equal(res.p, perms.filter((pi) => agree(pi) >= 4 / 6 - 1e-12).length / 720);
  assert.equal(agreementChance(['x', 'x', 'y', 'z'], ['x', 'y', 'z', 'z']), 0.3125);
  assertFails(() => agreementWithUncertainty(['x'], ['x', 'y'], { unit: 'clips', split: 'test' }), 'MISMATCH');
});
