import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRetrieve, type RetrieveResult } from '../../src/cli/commands/retrieve.ts';
import type { CliUi } from '../../src/cli/ui.ts';
import { writeEmbeddings } from '../../src/embed/index.ts';
import { writeNpy } from '../../src/io/index.ts';
import { cosineTopK, evaluateRetrieval, openLibrary } from '../../src/library/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

function captureUi(): CliUi & { lines: string[]; warnings: string[] } {
  const lines: string[] = [], warnings: string[] = [];
  return { lines, warnings, info: (l) => lines.push(l), warn: (l) => warnings.push(l), progress: () => ({ update() {}, end() {} }) };
}

async function makeLibrary(dir: string, N: number, dim: number) {
  const rand = mulberry32(12);
  const vectors = Float32Array.from({ length: N * dim }, () => rand() - 0.5);
  const lib = await openLibrary(dir);
  lib.setInfo({ model: 'test-vectors', version: '1', dim, excerptSec: 15, windowSec: 10, hopSec: 1.5 });
  await lib.add(Array.from({ length: N }, (_, i) => ({ id: `track${i}`, path: `/m/track${i}.mp3`, genre: i % 2 ? 'jazz' : null, vector: vectors.subarray(i * dim, (i + 1) * dim) })));
  lib.close();
  return vectors;
}

test('runRetrieve({ db, query }) averages clips × windows × dim queries and returns the exact top-k, named by clipIds', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-retrieve-'));
  try {
    const dim = 6, N = 120;
    const vectors = await makeLibrary(join(root, 'db'), N, dim);
    const rand = mulberry32(13);
    const clips = 4, windows = 3;
    const pred = Float32Array.from({ length: clips * windows * dim }, () => rand() - 0.5);
    writeNpy(join(root, 'pred.npy'), pred, [clips, windows, dim]);
    writeFileSync(join(root, 'pred.json'), JSON.stringify({ clipIds: ['a.1', 'b.2', 'c.3', 'd.4'] }));
    const ui = captureUi();
    const out = join(root, 'hits.json');
    const res = await runRetrieve({ db: join(root, 'db'), query: join(root, 'pred.npy'), k: 3, out }, ui);
    // reference: mean over windows, then brute-force cosine
    const mean = new Float32Array(clips * dim);
    for (let c = 0; c < clips; c++) for (let w = 0; w < windows; w++) for (let d = 0; d < dim; d++) mean[c * dim + d] += pred[(c * windows + w) * dim + d]! / windows;
    const ref = cosineTopK(vectors, mean, dim, 3);
    assert.deepEqual(res.results.map((r) => r.query), ['a.1', 'b.2', 'c.3', 'd.4']);
    for (let c = 0; c < clips; c++) {
      assert.deepEqual(res.results[c]!.hits.map((h) => h.id), Array.from(ref.indices.subarray(c * 3, c * 3 + 3), (i) => `track${i}`));
      assert.deepEqual(res.results[c]!.hits.map((h) => h.rank), [1, 2, 3]);
      for (let j = 0; j < 3; j++) assert.ok(Math.abs(res.results[c]!.hits[j]!.score - ref.scores[c * 3 + j]!) < 1e-6);
    }
    const written = JSON.parse(readFileSync(out, 'utf8')) as RetrieveResult;
    assert.deepEqual(written, JSON.parse(JSON.stringify(res)));
    assert.equal(written.model, 'test-vectors');
    assert.match(ui.lines.join('\n'), /^a\.1\n {2}1\. \d\.\d{4} {2}track\d+/);

    // a 2-d query gives the same hits as its already-averaged form; flat search agrees with exact
    writeNpy(join(root, 'mean.npy'), mean, [clips, dim]);
    const flat = await runRetrieve({ db: join(root, 'db'), query: join(root, 'mean.npy'), k: 3, search: 'flat' }, captureUi());
    assert.deepEqual(flat.results.map((r) => r.hits.map((h) => h.id)), res.results.map((r) => r.hits.map((h) => h.id)));
    assert.deepEqual(flat.results.map((r) => r.query), ['0', '1', '2', '3']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('runRetrieve rejects a query of the wrong dimension, a missing file, and an empty library', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-retrieve-'));
  try {
    await makeLibrary(join(root, 'db'), 10, 6);
    writeNpy(join(root, 'q5.npy'), new Float32Array(10), [2, 5]);
    await assert.rejects(runRetrieve({ db: join(root, 'db'), query: join(root, 'q5.npy') }, captureUi()), /5-d but library .* holds 6-d test-vectors/);
    await assert.rejects(runRetrieve({ db: join(root, 'db'), query: join(root, 'none.npy') }, captureUi()), /does not exist/);
    writeNpy(join(root, 'q6.npy'), new Float32Array(12).fill(1), [2, 6]);
    await assert.rejects(runRetrieve({ db: join(root, 'empty'), query: join(root, 'q6.npy') }, captureUi()), /holds no library/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('brain2music retrieve --db DIR --query PRED.npy --k 2 prints the hits and exits 0; bad --search exits non-zero', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-retrieve-'));
  try {
    await makeLibrary(join(root, 'db'), 20, 6);
    writeNpy(join(root, 'q.npy'), Float32Array.from([1, 0, 0, 0, 0, 0]), [1, 6]);
    const ok = spawnSync(process.execPath, ['bin/brain2music.js', 'retrieve', '--db', join(root, 'db'), '--query', join(root, 'q.npy'), '--k', '2'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^0\n {2}1\. .*track\d+.*\n {2}2\. /);
    const bad = spawnSync(process.execPath, ['bin/brain2music.js', 'retrieve', '--db', join(root, 'db'), '--query', join(root, 'q.npy'), '--search', 'fuzzy'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--search must be 'exact', 'flat' or 'ann'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('runRetrieve({ truth }) aligns true embeddings by clip id and adds the evaluation with oracle and chance', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-retrieve-'));
  try {
    const dim = 5, rand = mulberry32(21);
    const genres = ['blues', 'jazz', 'rock'];
    const ids = Array.from({ length: 30 }, (_, i) => `${genres[i % 3]}.${String(i).padStart(5, '0')}`);
    const vectors = Float32Array.from({ length: 30 * dim }, () => rand() - 0.5);
    const lib = await openLibrary(join(root, 'db'));
    lib.setInfo({ model: 'test-vectors', version: '1', dim, excerptSec: 15, windowSec: 10, hopSec: 1.5 });
    await lib.add(ids.map((id, i) => ({ id, path: `/m/${id}.wav`, genre: genres[i % 3]!, vector: vectors.subarray(i * dim, (i + 1) * dim) })));
    lib.close();
    // truth: clips 0..5 are library tracks themselves (2 windows each, both = the track vector)
    const clips = ids.slice(0, 6);
    const truthData = new Float32Array(6 * 2 * dim);
    clips.forEach((_, c) => { truthData.set(vectors.subarray(c * dim, (c + 1) * dim), (c * 2) * dim); truthData.set(vectors.subarray(c * dim, (c + 1) * dim), (c * 2 + 1) * dim); });
    writeEmbeddings(join(root, 'truth.npy'), { meta: { model: 'test-vectors', version: '1', dim, sampleRate: 22050, windowSec: 10, hopSec: 1.5, clipSec: 15, windowStarts: [0, 1.5], clipIds: clips }, data: truthData });
    // predictions in reverse clip order: truth plus noise
    const order = [...clips].reverse();
    const pred = new Float32Array(6 * dim);
    order.forEach((id, q) => { const c = clips.indexOf(id); for (let d = 0; d < dim; d++) pred[q * dim + d] = vectors[c * dim + d]! + 0.3 * (rand() - 0.5); });
    writeNpy(join(root, 'pred.npy'), pred, [6, dim]);
    writeFileSync(join(root, 'pred.json'), JSON.stringify({ clipIds: order }));
    const ui = captureUi();
    const res = await runRetrieve({ db: join(root, 'db'), query: join(root, 'pred.npy'), truth: join(root, 'truth.npy'), k: 3, seed: 4 }, ui);
    const aligned = new Float32Array(6 * dim);
    order.forEach((id, q) => aligned.set(vectors.subarray(clips.indexOf(id) * dim, (clips.indexOf(id) + 1) * dim), q * dim));
    const ref = evaluateRetrieval({ predicted: pred, truth: aligned, dim, k: 3, seed: 4, clipIds: order, clipGenres: order.map((id) => id.split('.')[0]!), library: { ids, genres: ids.map((id) => id.split('.')[0]!), vectors } });
    assert.deepEqual(res.evaluation, ref);
    // the clip's own track is excluded, so the oracle is never the clip itself
    res.evaluation!.perClip.forEach((c, q) => { assert.notEqual(c.oracleId, order[q]); assert.ok(!c.retrievedIds.includes(order[q]!)); });
    assert.match(ui.lines.join('\n'), /top-1 genre agreement {3}predicted \d\.\d{3} {3}oracle \d\.\d{3} {3}chance \d\.\d{3} \(expected 0\.333; 6 clips with genres\)/);
    // what is listed is what is scored, with LanceDB's own search too (not a fresh exact search)
    for (const search of ['exact', 'flat'] as const) {
      const r = await runRetrieve({ db: join(root, 'db'), query: join(root, 'pred.npy'), truth: join(root, 'truth.npy'), k: 3, seed: 4, search }, captureUi());
      r.results.forEach((x, q) => {
        assert.deepEqual(x.hits.map((h) => h.id), r.evaluation!.perClip[q]!.retrievedIds, `${search}: query ${q}`);
        assert.ok(!x.hits.some((h) => h.id === order[q]), `${search}: a clip's own track is not listed`);
      });
      assert.deepEqual(r.evaluation!.perClip.map((c) => c.retrievedIds), ref.perClip.map((c) => c.retrievedIds), 'the same tracks as the exact reference');
    }
    // with keepSelf the oracle finds each clip itself
    const keep = await runRetrieve({ db: join(root, 'db'), query: join(root, 'pred.npy'), truth: join(root, 'truth.npy'), keepSelf: true }, captureUi());
    assert.deepEqual(keep.evaluation!.perClip.map((c) => c.oracleId), order);
    assert.equal(keep.evaluation!.genreAgreement.oracle, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
