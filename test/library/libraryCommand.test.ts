import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLibraryBuild } from '../../src/cli/commands/library.ts';
import type { CliUi } from '../../src/cli/ui.ts';
import { writeNpy } from '../../src/io/index.ts';
import { openLibrary } from '../../src/library/index.ts';

const hasSox = spawnSync('sox', ['--version']).status === 0;
const SKIP = hasSox ? false : 'sox is not installed (Debian package sox makes the audio fixtures)';

function captureUi(): CliUi & { lines: string[]; warnings: string[]; updates: number[] } {
  const lines: string[] = [], warnings: string[] = [], updates: number[] = [];
  return { lines, warnings, updates, info: (l) => lines.push(l), warn: (l) => warnings.push(l), progress: () => ({ update: (d) => updates.push(d), end() {} }) };
}

/** GTZAN-like fixtures in three formats at 44.1 kHz (the builtin model resamples to 22.05 kHz). */
function makeAudio(root: string): string {
  const dir = join(root, 'audio');
  mkdirSync(dir, { recursive: true });
  for (const [name, synth] of [['blues.00000.au', ['sine', '220']], ['jazz.00003.flac', ['square', '330']], ['rock.00007.wav', ['pinknoise']]] as const) {
    const res = spawnSync('sox', ['-n', '-r', '44100', '-c', '2', join(dir, name), 'synth', '3.5', ...synth, 'vol', '0.4']);
    assert.equal(res.status, 0, String(res.stderr));
  }
  return dir;
}

test('runLibraryBuild({ audio, model, db }) embeds .au/.flac/.wav tracks with genres, and a rerun skips them all', { skip: SKIP }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-libcmd-'));
  try {
    const audio = makeAudio(root);
    const db = join(root, 'db');
    const ui = captureUi();
    const res = await runLibraryBuild({ audio, model: 'builtin', db, excerpt: 3 }, ui);
    assert.deepEqual({ added: res.added, skipped: res.skipped, failed: res.failed.length }, { added: 3, skipped: 0, failed: 0 });
    assert.deepEqual(ui.updates, [1, 2, 3]);
    assert.match(ui.lines.join('\n'), /3 tracks added, 0 already there, 0 unreadable; 3 in total \(builtin, 128-d\)/);
    const again = await runLibraryBuild({ audio, model: 'builtin', db, excerpt: 3 }, captureUi());
    assert.deepEqual({ added: again.added, skipped: again.skipped }, { added: 0, skipped: 3 });
    const lib = await openLibrary(db);
    const all = await lib.readAll();
    assert.deepEqual(all.ids, ['blues.00000', 'jazz.00003', 'rock.00007']);
    assert.deepEqual(all.genres, ['blues', 'jazz', 'rock']);
    assert.equal(lib.info!.excerptSec, 3);
    assert.equal(lib.info!.windowSec, 3);
    lib.close();
    await assert.rejects(runLibraryBuild({ audio: join(root, 'missing'), model: 'builtin', db }, captureUi()), /does not exist/);
    await assert.rejects(runLibraryBuild({ audio, model: 'no-such-model', db }, captureUi()), /unknown embedding model 'no-such-model'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('brain2music library build then retrieve: a track\'s own vector retrieves that track first with score 1', { skip: SKIP }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-libcmd-'));
  try {
    const audio = makeAudio(root);
    const db = join(root, 'db');
    const build = spawnSync(process.execPath, ['bin/brain2music.js', 'library', 'build', '--audio', audio, '--model', 'builtin', '--db', db, '--excerpt', '3'], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    assert.match(build.stdout, /3 tracks added/);
    assert.doesNotMatch(build.stderr, /WARN/);
    const lib = await openLibrary(db);
    const all = await lib.readAll();
    lib.close();
    const j = all.ids.indexOf('jazz.00003');
    writeNpy(join(root, 'q.npy'), all.vectors.slice(j * 128, (j + 1) * 128), [1, 128]);
    const ret = spawnSync(process.execPath, ['bin/brain2music.js', 'retrieve', '--db', db, '--query', join(root, 'q.npy'), '--k', '3'], { encoding: 'utf8' });
    assert.equal(ret.status, 0, ret.stderr);
    assert.match(ret.stdout, /^0\n {2}1\. 1\.0000 {2}jazz\.00003 \(jazz\)\n/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('library build --shard K/N then library merge: the rows of one unsharded build, the shard files removed; a missing shard is named', { skip: SKIP }, async () => {
  const { parseShard, runLibraryMerge } = await import('../../src/cli/commands/library.ts');
  const root = mkdtempSync(join(tmpdir(), 'b2m-libcmd-'));
  try {
    const audio = makeAudio(root);
    await runLibraryBuild({ audio, model: 'builtin', db: join(root, 'whole'), excerpt: 3 }, captureUi());
    const db = join(root, 'sharded');
    const first = await runLibraryBuild({ audio, model: 'builtin', db, excerpt: 3, shard: parseShard('2/2') }, captureUi());
    assert.equal(first.added, 2, 'shard 2 of 2 holds tracks 2 and 3 of 3');
    await assert.rejects(runLibraryMerge({ db }, captureUi()), (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /shards 1 of 2 are missing in .*shards; run 'brain2music library build … --db .* --shard 1\/2'/.test(e.message));
    await runLibraryBuild({ audio, model: 'builtin', db, excerpt: 3, shard: parseShard('1/2') }, captureUi());
    const ui = captureUi();
    const merged = await runLibraryMerge({ db }, ui);
    assert.deepEqual([merged.added, merged.failed.length], [3, 0]);
    const read = async (dir: string) => {
      const lib = await openLibrary(dir);
      try {
        return { info: lib.info, ...(await lib.readAll()) };
      } finally {
        lib.close();
      }
    };
    assert.deepEqual(await read(db), await read(join(root, 'whole')));
    await assert.rejects(runLibraryMerge({ db }, captureUi()), /holds no library shards/);
    assert.throws(() => parseShard('3/2'), /--shard must be K\/N with 1 ≤ K ≤ N/);
    await assert.rejects(runLibraryBuild({ audio, model: 'builtin', db, shard: parseShard('1/2'), ann: true }, captureUi()), /give it to library merge/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
