import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, cutWindows } from '../../src/embed/index.ts';
import { atRate } from '../../src/dsp/index.ts';
import { readAudio } from '../../src/io/index.ts';
import { buildLibrary, embedExcerpt, listAudioTracks, openLibrary, type AudioLoader } from '../../src/library/index.ts';

const hasSox = spawnSync('sox', ['--version']).status === 0;
const SKIP = hasSox ? false : 'sox is not installed (Debian package sox makes the audio fixtures)';
// Short excerpts keep the builtin model fast: 3 s excerpt, 2 s windows every 1 s → windows at 0 and 1 s.
const EXCERPT = { excerptSec: 3, windowSec: 2, hopSec: 1 };

const loadAudio: AudioLoader = async (path, sampleRate) => atRate(await readAudio(path), sampleRate);

/** Six 4 s tracks (sox synth), GTZAN-style names, one in a subfolder, and a corrupt file. */
function makeAudioDir(root: string): string {
  const dir = join(root, 'audio');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  const specs: [string, string[]][] = [
    ['blues.00000', ['sine', '220']], ['blues.00001', ['square', '330']], ['jazz.00000', ['triangle', '440']],
    ['jazz.00001', ['sawtooth', '550']], ['sub/rock.00000', ['pinknoise']], ['track-x', ['sine', '880']],
  ];
  for (const [name, synth] of specs) {
    const res = spawnSync('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', join(dir, `${name}.wav`), 'synth', '4', ...synth, 'vol', '0.5']);
    assert.equal(res.status, 0, String(res.stderr));
  }
  writeFileSync(join(dir, 'broken.wav'), Buffer.from('RIFF this is not audio'));
  return dir;
}

test('listAudioTracks(dir) finds audio recursively, sorted by id, genre from GTZAN names or library.tsv', { skip: SKIP }, () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-tracks-'));
  try {
    const dir = makeAudioDir(root);
    let tracks = listAudioTracks(dir);
    assert.deepEqual(tracks.map((t) => t.id), ['blues.00000', 'blues.00001', 'broken', 'jazz.00000', 'jazz.00001', 'rock.00000', 'track-x']);
    assert.deepEqual(tracks.map((t) => t.genre), ['blues', 'blues', null, 'jazz', 'jazz', 'rock', null]);
    assert.equal(tracks[5]!.path, join(dir, 'sub', 'rock.00000.wav'));
    writeFileSync(join(root, 'library.tsv'), 'id\tgenre\ntrack-x\tpop\nblues.00000\tn/a\n');
    tracks = listAudioTracks(dir);
    assert.equal(tracks.find((t) => t.id === 'track-x')!.genre, 'pop');
    assert.equal(tracks.find((t) => t.id === 'blues.00000')!.genre, 'blues');
    writeFileSync(join(dir, 'sub', 'track-x.flac'), '');
    assert.throws(() => listAudioTracks(dir), /two audio files have the id 'track-x'/);
    assert.throws(() => listAudioTracks(join(root, 'nope')), /does not exist/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('embedExcerpt(samples, embedder) is the mean of the window embeddings of the first seconds', async () => {
  const embedder = await createEmbedder('builtin');
  const sr = embedder.sampleRate;
  const samples = Float32Array.from({ length: 5 * sr }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 300 * i) / sr) * (1 + Math.sin(i / sr)));
  const v = await embedExcerpt(samples, embedder, EXCERPT);
  const windows = cutWindows(samples, sr, [0, 1], 2);
  const each = await embedder.embed(windows);
  const dim = embedder.dim;
  assert.equal(v.length, dim);
  for (let d = 0; d < dim; d++) assert.ok(Math.abs(v[d]! - (each[d]! + each[dim + d]!) / 2) < 1e-4);
  // a track shorter than one window gives one zero-padded window
  const short = samples.subarray(0, sr);
  const padded = new Float32Array(2 * sr);
  padded.set(short);
  assert.deepEqual(await embedExcerpt(short, embedder, EXCERPT), await embedder.embed([padded]));
  await assert.rejects(embedExcerpt(new Float32Array(0), embedder, EXCERPT), /no samples/);
});

test('buildLibrary(store, …) embeds every track, reports corrupt files, and resumes after an interrupt', { skip: SKIP }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-build-'));
  try {
    const dir = makeAudioDir(root);
    const tracks = listAudioTracks(dir);
    const embedder = await createEmbedder('builtin');

    // reference: one uninterrupted build
    const full = await openLibrary(join(root, 'full'));
    const progress: number[] = [];
    const res = await buildLibrary(full, { tracks, embedder, loadAudio, ...EXCERPT, batchSize: 2, onProgress: (d) => progress.push(d) });
    assert.equal(res.added, 6);
    assert.equal(res.skipped, 0);
    assert.deepEqual(res.failed.map((f) => f.id), ['broken']);
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7]);
    const ref = await full.readAll();
    assert.deepEqual(full.info, { model: 'builtin', version: embedder.version, dim: embedder.dim, ...EXCERPT });
    assert.equal(ref.genres[ref.ids.indexOf('jazz.00001')], 'jazz');
    full.close();

    // a crash after the 4th track (an exception mid-batch): the committed batches survive
    const dbDir = join(root, 'db');
    let lib = await openLibrary(dbDir);
    await assert.rejects(
      buildLibrary(lib, { tracks, embedder, loadAudio, ...EXCERPT, batchSize: 2, onProgress: (d) => { if (d === 4) throw new Error('killed'); } }),
      /killed/,
    );
    lib.close();
    lib = await openLibrary(dbDir);
    // tracks 1-2 committed, 3 (broken) failed, 4 was in the open batch and is lost
    assert.deepEqual([...(await lib.ids())].sort(), ['blues.00000', 'blues.00001']);

    // a stop request after 5 tracks: the current batch is committed, then it stops
    const stop = new AbortController();
    let r = await buildLibrary(lib, { tracks, embedder, loadAudio, ...EXCERPT, batchSize: 2, signal: stop.signal, onProgress: (d) => { if (d === 5) stop.abort(); } });
    assert.equal(r.aborted, true);
    assert.equal(r.skipped, 2);
    assert.equal(r.added, 2);
    assert.equal(await lib.count(), 4);

    // resume: only the remaining tracks are embedded
    r = await buildLibrary(lib, { tracks, embedder, loadAudio, ...EXCERPT });
    assert.deepEqual({ added: r.added, skipped: r.skipped, aborted: r.aborted }, { added: 2, skipped: 4, aborted: false });
    const got = await lib.readAll();
    assert.deepEqual([...got.ids].sort(), [...ref.ids].sort());
    for (const id of ref.ids) {
      const a = ref.ids.indexOf(id), b = got.ids.indexOf(id);
      assert.deepEqual(got.vectors.subarray(b * ref.dim, (b + 1) * ref.dim), ref.vectors.subarray(a * ref.dim, (a + 1) * ref.dim));
    }
    // a different model cannot be added to this library
    const genre = await createEmbedder('genre');
    await assert.rejects(buildLibrary(lib, { tracks, embedder: genre, loadAudio, ...EXCERPT }), /holds builtin/);
    lib.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
