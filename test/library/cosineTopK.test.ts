import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineTopK, cosineTopKGemm } from '../../src/library/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

test('cosineTopK(lib, q, dim, k) matches a hand-worked example', () => {
  // rows: (1,0), (0,1), (1,1), (-1,0); query (2, 1): cosines 2/√5, 1/√5, 3/√10, -2/√5
  const lib = Float32Array.from([1, 0, 0, 1, 1, 1, -1, 0]);
  const top = cosineTopK(lib, Float32Array.from([2, 1]), 2, 3);
  assert.deepEqual(Array.from(top.indices), [2, 0, 1]);
  assert.ok(Math.abs(top.scores[0]! - 3 / Math.sqrt(10)) < 1e-7);
  assert.ok(Math.abs(top.scores[1]! - 2 / Math.sqrt(5)) < 1e-7);
  assert.ok(Math.abs(top.scores[2]! - 1 / Math.sqrt(5)) < 1e-7);
});

test('cosineTopK(lib, q, dim, k) equals sorting all cosines, for many queries', () => {
  const rand = mulberry32(4);
  const N = 500, dim = 12, Q = 21, k = 7;
  const lib = Float32Array.from({ length: N * dim }, () => rand() - 0.5);
  const queries = Float32Array.from({ length: Q * dim }, () => rand() - 0.5);
  const top = cosineTopK(lib, queries, dim, k);
  for (let q = 0; q < Q; q++) {
    const all = Array.from({ length: N }, (_, i) => {
      let s = 0, a = 0, b = 0;
      for (let d = 0; d < dim; d++) { const x = lib[i * dim + d]!, y = queries[q * dim + d]!; s += x * y; a += x * x; b += y * y; }
      return { i, c: s / Math.sqrt(a * b) };
    }).sort((u, v) => v.c - u.c);
    assert.deepEqual(Array.from(top.indices.subarray(q * k, (q + 1) * k)), all.slice(0, k).map((x) => x.i));
    for (let j = 0; j < k; j++) assert.ok(Math.abs(top.scores[q * k + j]! - all[j]!.c) < 1e-12);
  }
});

test('cosineTopK(lib, q, dim, k) breaks ties by lower index, never returns zero rows, and caps k', () => {
  // rows 0 and 2 are parallel to the query (tie), row 1 is zero, row 3 orthogonal
  const lib = Float32Array.from([2, 0, 0, 0, 1, 0, 0, 5]);
  const top = cosineTopK(lib, Float32Array.from([1, 0]), 2, 10);
  assert.equal(top.k, 3);
  assert.deepEqual(Array.from(top.indices), [0, 2, 3]);
  assert.deepEqual(Array.from(top.scores), [1, 1, 0]);
  assert.throws(() => cosineTopK(lib, Float32Array.from([0, 0]), 2, 1), /all zeros/);
  assert.throws(() => cosineTopK(lib, Float32Array.from([1, 0, 0]), 2, 1), /not a multiple/);
});

test('cosineTopKGemm(lib, q, dim, k) equals the brute-force cosineTopK, across block sizes, with zero rows and ties', async () => {
  const rand = mulberry32(9);
  const N = 3000, dim = 24, Q = 13, k = 10;
  const lib = Float32Array.from({ length: N * dim }, () => rand() - 0.5);
  for (const i of [5, 700, 2999]) lib.fill(0, i * dim, (i + 1) * dim); // zero rows are never returned
  lib.copyWithin(100 * dim, 42 * dim, 43 * dim); // rows 42 and 100 are equal: a tie
  const queries = Float32Array.from({ length: Q * dim }, () => rand() - 0.5);
  queries.set(lib.subarray(42 * dim, 43 * dim), 0); // query 0 = row 42 = row 100
  const ref = cosineTopK(lib, queries, dim, k);
  for (const blockRows of [N, 512, 7]) {
    const got = await cosineTopKGemm(lib, queries, dim, k, { blockRows });
    assert.deepEqual(got.indices, ref.indices, `blockRows ${blockRows}`);
    assert.deepEqual(got.scores, ref.scores, `blockRows ${blockRows}`);
  }
  assert.deepEqual(Array.from(ref.indices.subarray(0, 2)), [42, 100]);
  const small = await cosineTopKGemm(Float32Array.from([1, 0, 0, 0, 0, 2]), Float32Array.from([1, 1]), 2, 5);
  assert.equal(small.k, 2);
  assert.deepEqual(Array.from(small.indices), [0, 2]);
  await assert.rejects(cosineTopKGemm(lib, new Float32Array(dim), dim, 1), /all zeros/);
});
