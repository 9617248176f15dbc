import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairingPermutationP, assertFails } from './imports.ts';
import { allPermutations } from './permutations.ts';


// a statistic with many distinct values: Σ_i w[i][perm[i]]
const n = 6;
const w = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(1 + 7 * i + 3 * j * j) + (i === j ? 0.4 : 0)));
const stat = (perm: ArrayLike<number>) => { let s = 0; for (let i = 0; i < n; i++) s += w[i]![perm[i]!]!; return s; };

test('pairingPermutationP(n, statistic) enumerates every pairing when n! ≤ nPerm: p = #{π : s(π) ≥ s(id)} / n! exactly', () => {
  const perms = allPermutations(n);
  assert.equal(perms.length, 720);
  const obs = stat([0, 1, 2, 3, 4, 5]);
  const exact = perms.filter((p) => stat(p) >= obs - 1e-12).length / 720;
  const res = pairingPermutationP(n, stat, { nPerm: 720 });
  assert.deepEqual([res.exact, res.nPerm, res.observed], [true, 720, obs]);
  assert.equal(res.p, exact);
  // the enumeration visits each permutation once
  const seen = new Set<string>();
  pairingPermutationP(n, (p) => { seen.add(Array.from(p).join()); return 0; }, { nPerm: 1000 });
  assert.equal(seen.size, 720);
  // a perfect pairing reached by no other: p = 1/n!
  assert.equal(pairingPermutationP(4, (p) => (Array.from(p).every((x, i) => x === i) ? 1 : 0), { nPerm: 24 }).p, 1 / 24);
});

test('pairingPermutationP(n, statistic, { nPerm }) with random pairings agrees with the exact p within 3 binomial sd, is (1 + count)/(1 + nPerm), seeded', () => {
  const obs = stat([0, 1, 2, 3, 4, 5]);
  const exact = allPermutations(n).filter((p) => stat(p) >= obs - 1e-12).length / 720;
  const res = pairingPermutationP(n, stat, { nPerm: 500, seed: 4 });
  assert.equal(res.exact, false);
  assert.equal(res.nPerm, 500);
  assert.ok(Math.abs(res.p - exact) < 3 * Math.sqrt(exact * (1 - exact) / 500) + 1 / 501, `p ${res.p} vs exact ${exact}`);
  assert.ok(Math.abs(res.p * 501 - Math.round(res.p * 501)) < 1e-9, 'p = (1 + count) / 501');
  assert.deepEqual(pairingPermutationP(n, stat, { nPerm: 500, seed: 4 }), res);
  assertFails(() => pairingPermutationP(1, stat), 'BAD_INPUT');
});
