// The merge of a sharded library build (shards.library): shard files of embedded tracks stored in
// one LanceDB library in shard order, compacted and (with ann) indexed; a rerun adds nothing, a
// shard of another model or a damaged shard file is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Brain2MusicError } from '../../src/errors.ts';
import { openLibrary, writeLibraryShard, type LibraryEntry, type LibraryInfo } from '../../src/library/index.ts';
import { libraryMergeJob } from '../../src/pipeline/jobs/library.ts';
import { silentReporter } from '../../src/progress.ts';

const INFO: LibraryInfo = { model: 'builtin', version: 'builtin-1+test', dim: 16, excerptSec: 15, windowSec: 10, hopSec: 1.5 };

/** Tracks t<from>..t<to-1> with seeded vectors. */
function entries(from: number, to: number): LibraryEntry[] {
  let s = from + 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  return Array.from({ length: to - from }, (_, i) => ({ id: `t${String(from + i).padStart(4, '0')}`, path: `/music/t${from + i}.wav`, genre: i % 2 ? 'rock' : null, vector: Float32Array.from({ length: INFO.dim }, rand) }));
}

test('libraryMergeJob: the shards\' tracks in shard order, compacted and indexed; a second merge adds nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-libshard-'));
  const shards = [[0, 150], [150, 300], [300, 420]].map(([a, b], k) => {
    const f = join(dir, `${k + 1}-of-3.npy`);
    writeLibraryShard(f, { info: INFO, entries: entries(a!, b!), failed: k === 1 ? [{ id: 'bad', path: '/music/bad.wav', reason: 'not audio' }] : [], skipped: 0 });
    return f;
  });
  const db = join(dir, 'library');
  const res = await libraryMergeJob({ shards, db, ann: true }, silentReporter);
  assert.deepEqual([res.total, res.added, res.skipped, res.failed.map((f) => f.id)], [421, 420, 0, ['bad']]);
  const lib = await openLibrary(db);
  try {
    const all = await lib.readAll();
    const want = entries(0, 150).concat(entries(150, 300), entries(300, 420));
    assert.deepEqual(all.ids, want.map((e) => e.id));
    assert.deepEqual(all.genres, want.map((e) => e.genre));
    assert.deepEqual(Array.from(all.vectors), want.flatMap((e) => Array.from(e.vector)));
    assert.deepEqual(lib.info, INFO);
    assert.equal(await lib.hasAnnIndex(), true);
    assert.equal(await lib.fragments(), 1, 'compacted into one fragment');
  } finally {
    lib.close();
  }
  const again = await libraryMergeJob({ shards, db }, silentReporter);
  assert.deepEqual([again.added, again.skipped], [0, 420]);
});

test('libraryMergeJob refuses a shard of another model and a damaged shard file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-libshard-'));
  const a = join(dir, '1-of-2.npy');
  const b = join(dir, '2-of-2.npy');
  writeLibraryShard(a, { info: INFO, entries: entries(0, 10), failed: [], skipped: 0 });
  writeLibraryShard(b, { info: { ...INFO, model: 'clap', version: 'clap:x' }, entries: entries(10, 20), failed: [], skipped: 0 });
  await assert.rejects(libraryMergeJob({ shards: [a, b], db: join(dir, 'lib') }, silentReporter), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH' && /shard 2 was embedded with clap \(clap:x\), shard 1 with builtin/.test(e.message));
  const untouched = await openLibrary(join(dir, 'lib'));
  assert.equal(untouched.info, null, 'nothing stored');
  untouched.close();
  writeLibraryShard(b, { info: INFO, entries: entries(10, 20), failed: [], skipped: 0 });
  const clapLib = await openLibrary(join(dir, 'clap-lib'));
  clapLib.setInfo({ ...INFO, model: 'clap', version: 'clap:x' });
  clapLib.close();
  await assert.rejects(libraryMergeJob({ shards: [a, b], db: join(dir, 'clap-lib') }, silentReporter), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH' && /holds clap .* this build uses builtin/.test(e.message));
  writeFileSync(join(dir, '2-of-2.json'), '{"info": ');
  await assert.rejects(libraryMergeJob({ shards: [a, b], db: join(dir, 'lib2') }, silentReporter), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && /cannot parse library shard .*2-of-2\.json/.test(e.message));
});
