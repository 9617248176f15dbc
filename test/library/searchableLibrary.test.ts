import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineTopKGemm, openLibrary, searchableLibrary, wantsAnnIndex, type LibraryEntry } from '../../src/library/index.ts';
import { RETRIEVE_DEFAULTS } from '../../src/defaults.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

const DIM = 12;

/** 600 tracks in 3 commits (3 fragments), with exact duplicates (ties) and a zero vector. */
function entries(): LibraryEntry[] {
  const rand = mulberry32(11);
  const out = Array.from({ length: 600 }, (_, i) => ({
    id: `t${String(i).padStart(4, '0')}`, path: `/music/t${i}.wav`, genre: i % 5 === 0 ? null : `g${i % 3}`,
    vector: Float32Array.from({ length: DIM }, () => rand() - 0.5),
  }));
  for (const [a, b] of [[10, 400], [11, 599], [200, 201]] as const) out[b]!.vector = out[a]!.vector.slice();
  out[300]!.vector = new Float32Array(DIM);
  return out;
}

async function withLibrary(fn: (dir: string, tracks: LibraryEntry[]) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-search-'));
  try {
    const tracks = entries();
    const lib = await openLibrary(dir);
    lib.setInfo({ model: 'test-vectors', version: '1', dim: DIM, excerptSec: 15, windowSec: 10, hopSec: 1.5 });
    for (let i = 0; i < 600; i += 200) await lib.add(tracks.slice(i, i + 200));
    lib.close();
    await fn(dir, tracks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('LibraryStore.exactTopK reads the table block by block and equals cosineTopKGemm over every vector, ties and a zero row included', async () => {
  await withLibrary(async (dir, tracks) => {
    const lib = await openLibrary(dir);
    try {
      const all = await lib.readAll();
      // queries that tie: the duplicated rows' own vectors, plus random ones
      const rand = mulberry32(5);
      const queries = Float32Array.from({ length: 9 * DIM }, () => rand() - 0.5);
      queries.set(tracks[10]!.vector, 0);
      queries.set(tracks[200]!.vector, DIM);
      const ref = await cosineTopKGemm(all.vectors, queries, DIM, 7);
      assert.deepEqual([ref.indices[0], ref.indices[1]], [10, 400], 'a tie goes to the lower row');
      for (const blockRows of [1, 7, 64, 199, 600, 65536]) {
        const got = await lib.exactTopK(queries, 7, { blockRows });
        assert.deepEqual(got, ref, `blockRows ${blockRows}`);
      }
      assert.ok(![...ref.indices].includes(300), 'the zero vector is never returned');
      const catalog = await lib.catalog();
      assert.deepEqual(catalog, { ids: all.ids, paths: all.paths, genres: all.genres, dim: DIM });
      const rows = await lib.vectorsAt([599, 3, 250, 3], catalog);
      assert.deepEqual([...rows.keys()].sort((a, b) => a - b), [3, 250, 599]);
      for (const [i, v] of rows) assert.deepEqual(v, all.vectors.subarray(i * DIM, (i + 1) * DIM));
    } finally {
      lib.close();
    }
  });
});

test('searchableLibrary(store, choice): auto is exact without an index and the index once built; ann without one is refused', async () => {
  await withLibrary(async (dir) => {
    const lib = await openLibrary(dir);
    try {
      const exact = await searchableLibrary(lib, 'auto');
      assert.equal(exact.search, 'exact');
      // below annMinTracks the vectors are read once into memory; above, the table is read block by block: the same hits
      const streamed = await searchableLibrary(lib, 'auto', { inMemoryBelow: 0 });
      const probe = Float32Array.from({ length: 12 * DIM }, (_, i) => Math.sin(i));
      assert.deepEqual(await streamed.nearest(probe, 9), await exact.nearest(probe, 9));
      assert.deepEqual(await streamed.vectorsAt([5, 77]), await exact.vectorsAt([5, 77]));
      assert.deepEqual([streamed.ids, streamed.genres, streamed.paths], [exact.ids, exact.genres, exact.paths]);
      await assert.rejects(searchableLibrary(lib, 'ann'), /no ANN index; build it with "library": \{"ann": true\}/);
      const rand = mulberry32(9);
      const queries = Float32Array.from({ length: 40 * DIM }, () => rand() - 0.5);
      const ref = await exact.nearest(queries, 10);
      await lib.createAnnIndex({ numPartitions: 4, numSubVectors: 3 });
      const ann = await searchableLibrary(lib, 'auto');
      assert.equal(ann.search, 'ann');
      const got = await ann.nearest(queries, 10);
      assert.equal(got.k, 10);
      // refine 100 × k re-ranks every track of this small library with its full vector: the exact hits
      let same = 0;
      for (let q = 0; q < 40; q++) {
        const want = new Set(ref.indices.subarray(q * 10, (q + 1) * 10));
        for (const i of got.indices.subarray(q * 10, (q + 1) * 10)) if (want.has(i)) same++;
      }
      assert.ok(same / 400 >= 0.99, `recall@10 ${same / 400}`);
      assert.equal((await searchableLibrary(lib, 'exact')).search, 'exact');
    } finally {
      lib.close();
    }
  });
});

test('wantsAnnIndex(choice, tracks): true and false decide; auto indexes from RETRIEVE_DEFAULTS.annMinTracks tracks', () => {
  const n = RETRIEVE_DEFAULTS.annMinTracks;
  assert.deepEqual([wantsAnnIndex(true, 10), wantsAnnIndex(false, 10 * n), wantsAnnIndex('auto', n - 1), wantsAnnIndex('auto', n), wantsAnnIndex(undefined, n)], [true, false, false, true, false]);
});
