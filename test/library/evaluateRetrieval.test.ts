import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identificationAccuracy } from '../../src/evaluate/index.ts';
import { evaluateRetrieval } from '../../src/library/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

// library (2-d): L0 (1,0) blues, L1 (0,1) jazz, L2 (.7,.7) blues, L3 (-1,0) jazz, L4 (0,-1) unknown genre
const library = {
  ids: ['L0', 'L1', 'L2', 'L3', 'L4'],
  genres: ['blues', 'jazz', 'blues', 'jazz', null],
  vectors: Float32Array.from([1, 0, 0, 1, 0.7, 0.7, -1, 0, 0, -1]),
};
// clip 0 (blues): predicted → L0 (match), truth → L1 (no match)
// clip 1 (jazz):  predicted → L2 (no match), truth → L3 (match)
// clip 2 (jazz):  predicted → L1 (match), truth → L4 (genre unknown)
const predicted = Float32Array.from([1, 0.1, 0.6, 0.8, 0, 1]);
const truth = Float32Array.from([0.1, 1, -1, 0.05, 0.05, -1]);
const clipGenres = ['blues', 'jazz', 'jazz'];

test('evaluateRetrieval(input) retrieves, scores genre agreement, oracle and chance on a hand-worked example', () => {
  const ev = evaluateRetrieval({ predicted, truth, clipGenres, library, dim: 2, k: 2, seed: 1 });
  assert.deepEqual(ev.perClip.map((c) => c.retrievedIds[0]), ['L0', 'L2', 'L1']);
  assert.deepEqual(ev.perClip.map((c) => c.oracleId), ['L1', 'L3', 'L4']);
  assert.deepEqual(ev.perClip[0]!.retrievedIds, ['L0', 'L2']);
  assert.ok(Math.abs(ev.perClip[0]!.scores[0]! - 1 / Math.sqrt(1.01)) < 1e-7);
  assert.ok(Math.abs(ev.perClip[0]!.scores[1]! - 0.77 / (Math.sqrt(1.01) * Math.sqrt(0.98))) < 1e-7);
  assert.deepEqual(ev.perClip.map((c) => c.genreMatch), [true, false, true]);
  assert.deepEqual(ev.perClip.map((c) => c.oracleGenreMatch), [false, true, null]);
  // top-2 of clip 1 are L2 (blues) and L1 (jazz) → half of them match
  assert.equal(ev.perClip[1]!.genreMatchTopK, 0.5);
  assert.ok(Math.abs(ev.genreAgreement.predicted - 2 / 3) < 1e-12);
  assert.equal(ev.genreAgreement.oracle, 0.5);
  assert.equal(ev.genreAgreement.chanceExpected, 0.5); // 2 of 4 known library genres match each clip
  assert.equal(ev.genreAgreement.nWithGenre, 3);
  // identification of the retrieved tracks' embeddings against the true ones
  const retrieved = Float32Array.from([1, 0, 0.7, 0.7, 0, 1]);
  assert.equal(ev.identification.predicted, identificationAccuracy(retrieved, truth, 3, 2).mean);
  assert.equal(ev.identification.oracle, identificationAccuracy(Float32Array.from([0, 1, -1, 0, 0, -1]), truth, 3, 2).mean);
  assert.equal(ev.identification.decoded, identificationAccuracy(predicted, truth, 3, 2).mean);
});

test('evaluateRetrieval(input) with clipIds never retrieves a clip\'s own track', () => {
  const lib = { ...library, ids: ['c0', 'L1', 'L2', 'L3', 'L4'] };
  const ev = evaluateRetrieval({ predicted, truth, clipGenres, clipIds: ['c0', 'c1', 'c2'], library: lib, dim: 2, k: 4, seed: 3 });
  assert.deepEqual(ev.perClip[0]!.retrievedIds, ['L2', 'L1', 'L4', 'L3']);
  assert.equal(ev.perClip[1]!.retrievedIds[0], 'L2');
  for (let s = 0; s < 20; s++) {
    const e = evaluateRetrieval({ predicted, truth, clipGenres, clipIds: ['c0', 'c1', 'c2'], library: lib, dim: 2, seed: s });
    assert.notEqual(e.perClip[0]!.chanceId, 'c0');
  }
});

test('evaluateRetrieval(input) chance agrees with its expectation and is near 0.5 identification on a big random library', () => {
  const rand = mulberry32(8);
  const dim = 8, N = 2000, n = 200, genres = ['a', 'b', 'c', 'd'];
  const vec = (len: number) => Float32Array.from({ length: len }, () => rand() - 0.5);
  const lib = { ids: Array.from({ length: N }, (_, i) => `t${i}`), genres: Array.from({ length: N }, (_, i) => genres[i % 4]!), vectors: vec(N * dim) };
  const t = vec(n * dim);
  const ev = evaluateRetrieval({ predicted: t, truth: t, clipGenres: Array.from({ length: n }, (_, i) => genres[i % 4]!), library: lib, dim, seed: 2 });
  assert.equal(ev.genreAgreement.chanceExpected, 0.25);
  assert.ok(Math.abs(ev.genreAgreement.chance - 0.25) < 0.08, `chance ${ev.genreAgreement.chance}`);
  assert.ok(Math.abs(ev.identification.chance - 0.5) < 0.06, `identification chance ${ev.identification.chance}`);
  // predicting the truth exactly: retrieval equals the oracle
  assert.deepEqual(ev.perClip.map((c) => c.retrievedIds[0]), ev.perClip.map((c) => c.oracleId));
  assert.equal(ev.identification.decoded, 1);
  assert.throws(() => evaluateRetrieval({ predicted: t.subarray(1), truth: t, clipGenres: [], library: lib, dim }), /need/);
});
