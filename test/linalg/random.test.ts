import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, hashString } from '../../src/linalg/index.ts';

// The two generators the one Rng replaced, written out here as they were (simulate/rng.ts and
// linalg/random.ts before the merge), on a test-local mulberry32: the merged Rng must draw
// exactly their numbers, or every simulated dataset would change.
function uniformStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function boxMuller(next: () => number, zeroBelow: number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = next();
    while (u <= zeroBelow) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** The simulator's former generator: a fixed script of its draws, as numbers. */
function formerSimulatorDraws(seed: number): number[] {
  const next = uniformStream(seed);
  const normal = boxMuller(next, 1e-12);
  const out: number[] = [];
  const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  for (let i = 0; i < 300; i++) {
    out.push(next(), normal(), Math.floor(next() * 11), 2 + (5 - 2) * next(), next() < 0.3 ? 1 : 0);
    out.push(items.indexOf(items[Math.floor(next() * items.length)]!));
    const w = [0.5, 0, 2, 1];
    let u = next() * 3.5;
    let k = 0;
    for (; k < 4; k++) { u -= w[k]!; if (u < 0) break; }
    out.push(Math.min(k, 3));
    const s = items.slice();
    for (let j = s.length - 1; j > 0; j--) { const r = Math.floor(next() * (j + 1)); [s[j], s[r]] = [s[r]!, s[j]!]; }
    out.push(...s.map((x) => items.indexOf(x)));
  }
  return out;
}

test('createRng(seed) draws exactly what the simulator\'s former Rng drew: next, normal, int, uniform(lo, hi), chance, pick, weighted, shuffle', () => {
  for (const seed of [0, 1, 7, 0xdeadbeef, deriveSeed(1, 2, 3)]) {
    const rng = createRng(seed);
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const got: number[] = [];
    for (let i = 0; i < 300; i++) {
      got.push(rng.next(), rng.normal(), rng.int(11), rng.uniform(2, 5), rng.chance(0.3) ? 1 : 0);
      got.push(items.indexOf(rng.pick(items)));
      got.push(['w', 'x', 'y', 'z'].indexOf(rng.weighted(['w', 'x', 'y', 'z'], [0.5, 0, 2, 1])));
      got.push(...rng.shuffle(items).map((x) => items.indexOf(x)));
    }
    assert.deepEqual(got, formerSimulatorDraws(seed), `seed ${seed}`);
  }
});

test('createRng(seed) draws exactly what linalg\'s former Rng drew: uniform(), normal, int, shuffle (now a copy, the same order)', () => {
  for (const seed of [3, 42, 2024]) {
    const next = uniformStream(seed);
    const normal = boxMuller(next, 0);
    const want: number[] = [];
    for (let i = 0; i < 500; i++) {
      want.push(next(), normal(), Math.floor(next() * 7));
      const s = [1, 2, 3, 4, 5];
      for (let j = s.length - 1; j > 0; j--) { const r = Math.floor(next() * (j + 1)); [s[j], s[r]] = [s[r]!, s[j]!]; }
      want.push(...s);
    }
    const rng = createRng(seed);
    const got: number[] = [];
    const input = [1, 2, 3, 4, 5];
    for (let i = 0; i < 500; i++) got.push(rng.uniform(), rng.normal(), rng.int(7), ...rng.shuffle(input));
    assert.deepEqual(got, want, `seed ${seed}`);
    assert.deepEqual(input, [1, 2, 3, 4, 5], 'shuffle leaves its input as it is');
  }
});

test('createRng(seed).normal works detached from its generator, and uniform() is next()', () => {
  const normal = createRng(11).normal;
  const ref = boxMuller(uniformStream(11), 0);
  assert.deepEqual([normal(), normal(), normal()], [ref(), ref(), ref()]);
  const a = createRng(5);
  const b = createRng(5);
  for (let i = 0; i < 100; i++) assert.equal(a.uniform(), b.next());
});

test('deriveSeed(seed, ...keys) and hashString(s) give their fixed 32-bit values', () => {
  // FNV-1a of 'a' is 0xe40c292c (the published test vector); of '' the offset basis
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
  assert.equal(hashString('foobar'), 0xbf9cf968);
  assert.equal(deriveSeed(1), (1 ^ 0x9e3779b9) >>> 0);
  assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
  assert.ok(Number.isInteger(deriveSeed(0xffffffff, 7, 2)) && deriveSeed(0xffffffff, 7, 2) >= 0 && deriveSeed(0xffffffff, 7, 2) < 2 ** 32);
});
