import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineTopK, openLibrary, type LibraryEntry, type LibraryInfo } from '../../src/library/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

const INFO = (dim: number): LibraryInfo => ({ model: 'test-vectors', version: '1', dim, excerptSec: 15, windowSec: 10, hopSec: 1.5 });

function randomEntries(n: number, dim: number, seed: number): LibraryEntry[] {
  const rand = mulberry32(seed);
  const genres = ['blues', 'jazz', 'rock'];
  return Array.from({ length: n }, (_, i) => ({
    id: `t${String(i).padStart(5, '0')}`,
    path: `/music/t${i}.wav`,
    genre: i % 4 === 3 ? null : genres[i % 3]!,
    vector: Float32Array.from({ length: dim }, () => rand() - 0.5),
  }));
}

test('openLibrary(dir): add then readAll round-trips ids, paths, genres (null kept) and vectors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-lib-'));
  try {
    const entries = randomEntries(50, 8, 1);
    const lib = await openLibrary(dir);
    assert.equal(await lib.count(), 0);
    lib.setInfo(INFO(8));
    await lib.add(entries.slice(0, 20));
    await lib.add(entries.slice(20));
    lib.close();
    const again = await openLibrary(dir);
    assert.deepEqual(again.info, INFO(8));
    assert.equal(await again.count(), 50);
    assert.deepEqual([...(await again.ids())].sort(), entries.map((e) => e.id));
    const all = await again.readAll();
    const byId = new Map(all.ids.map((id, i) => [id, i]));
    for (const e of entries) {
      const i = byId.get(e.id)!;
      assert.equal(all.paths[i], e.path);
      assert.equal(all.genres[i], e.genre);
      assert.deepEqual(all.vectors.subarray(i * 8, (i + 1) * 8), e.vector);
    }
    assert.throws(() => again.setInfo({ ...INFO(8), model: 'other' }), /holds test-vectors/);
    await assert.rejects(again.add([{ id: 'x', path: 'x', genre: null, vector: new Float32Array(3) }]), /3-d vector/);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('LibraryStore.search exact and LanceDB flat both return the brute-force top-k', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-lib-'));
  try {
    const dim = 16, entries = randomEntries(400, dim, 2);
    const lib = await openLibrary(dir);
    lib.setInfo(INFO(dim));
    await lib.add(entries);
    const rand = mulberry32(3);
    const Q = 10, k = 8;
    const queries = Float32Array.from({ length: Q * dim }, () => rand() - 0.5);
    const matrix = new Float32Array(400 * dim);
    entries.forEach((e, i) => matrix.set(e.vector, i * dim));
    const ref = cosineTopK(matrix, queries, dim, k);
    const exact = await lib.search(queries, { k, mode: 'exact' });
    const flat = await lib.search(queries, { k, mode: 'flat' });
    for (let q = 0; q < Q; q++) {
      const refIds = Array.from(ref.indices.subarray(q * k, (q + 1) * k), (i) => entries[i]!.id);
      assert.deepEqual(exact[q]!.map((h) => h.id), refIds);
      assert.deepEqual(flat[q]!.map((h) => h.id), refIds);
      for (let j = 0; j < k; j++) {
        assert.ok(Math.abs(exact[q]![j]!.score - ref.scores[q * k + j]!) < 1e-12);
        assert.ok(Math.abs(flat[q]![j]!.score - ref.scores[q * k + j]!) < 1e-5);
      }
    }
    assert.equal(exact[0]![0]!.path, entries.find((e) => e.id === exact[0]![0]!.id)!.path);
    await assert.rejects(lib.search(queries, { mode: 'ann' }), /no ANN index/);
    await assert.rejects(lib.search(new Float32Array(5)), /not a multiple/);
    lib.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('LibraryStore.createAnnIndex then search ann has high recall@10 against exact search', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-lib-'));
  try {
    const dim = 16, N = 3000;
    // clustered vectors, like embeddings of music from a few genres
    const rand = mulberry32(5);
    const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: dim }, () => rand() - 0.5));
    const entries: LibraryEntry[] = Array.from({ length: N }, (_, i) => ({
      id: `c${i}`, path: `p${i}`, genre: null,
      vector: Float32Array.from(centres[i % 20]!, (c) => c + 0.15 * (rand() - 0.5)),
    }));
    const lib = await openLibrary(dir);
    lib.setInfo(INFO(dim));
    await lib.add(entries);
    await lib.createAnnIndex({ numPartitions: 16, numSubVectors: 4 });
    assert.equal(await lib.hasAnnIndex(), true);
    const Q = 20;
    const queries = Float32Array.from({ length: Q * dim }, (_, j) => entries[(j / dim | 0) * 37]!.vector[j % dim]! + 0.05 * (rand() - 0.5));
    const exact = await lib.search(queries, { k: 10, mode: 'exact' });
    const ann = await lib.search(queries, { k: 10, mode: 'ann', nprobes: 8, refineFactor: 10 });
    let hit = 0;
    for (let q = 0; q < Q; q++) {
      const truth = new Set(exact[q]!.map((h) => h.id));
      hit += ann[q]!.filter((h) => truth.has(h.id)).length;
    }
    const recall = hit / (10 * Q);
    assert.ok(recall >= 0.9, `recall@10 = ${recall}`);
    // the queries go to LanceDB in batches (32): each query's hits are those it gets searched alone
    for (let q = 0; q < Q; q += 7) {
      const alone = await lib.search(queries.subarray(q * dim, (q + 1) * dim), { k: 10, mode: 'ann', nprobes: 8, refineFactor: 10 });
      assert.deepEqual(ann[q], alone[0], `query ${q}`);
    }
    // batches of 8 over 70 queries (the last one short): every query answered, in its place
    const many = Float32Array.from({ length: 70 * dim }, (_, j) => entries[(j / dim | 0) * 41]!.vector[j % dim]!);
    const batched = await lib.search(many, { k: 3, mode: 'ann', nprobes: 16, refineFactor: 50, queryBatch: 8 });
    assert.equal(batched.length, 70);
    for (const q of [0, 7, 8, 63, 64, 69]) assert.equal(batched[q]![0]!.id, `c${q * 41}`, `query ${q} finds its own track first`);
    lib.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
