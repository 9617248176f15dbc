import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuiltinEmbedder, createGenreEmbedder, embedClips, readEmbeddings, type ClipSource, type Embedder } from '../../src/embed/index.ts';
import { readNpy } from '../../src/io/index.ts';
import { SYNTH_CLASSES, synthClip } from './synthClips.ts';

const clip = (id: string, cls: number, seed: number, sec = 15): ClipSource & { loads: number } => {
  const c = { id, loads: 0, load: async () => { c.loads++; return synthClip(SYNTH_CLASSES[cls], seed, sec); } };
  return c;
};

test('embedClips writes clips × windows × dim float32 + JSON, and a rerun on a grown list embeds only the new clip', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'b2m-embedclips-')), 'builtin.npy');
  const embedder = createBuiltinEmbedder();
  const a = [clip('blues.00001', 0, 1), clip('disco.00002', 1, 2)];
  const r1 = await embedClips({ embedder, clips: a, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true });
  assert.deepEqual([r1.embedded, r1.reused], [2, 0]);
  const npy = readNpy(out);
  assert.deepEqual(npy.shape, [2, 4, 128]);
  assert.equal(npy.dtype, '<f4');
  const e1 = readEmbeddings(out);
  assert.deepEqual(e1.meta.clipIds, ['blues.00001', 'disco.00002']);
  assert.deepEqual(e1.meta.windowStarts, [0, 1.5, 3, 4.5]);
  assert.deepEqual([e1.meta.model, e1.meta.dim, e1.meta.sampleRate, e1.meta.windowSec, e1.meta.hopSec, e1.meta.clipSec], ['builtin', 128, 22050, 10, 1.5, 15]);
  assert.ok(!existsSync(`${out}.parts`), 'the partial cache is removed once the output is written');

  const b = [clip('blues.00001', 0, 1), clip('rock.00003', 3, 3), clip('disco.00002', 1, 2)];
  const r2 = await embedClips({ embedder, clips: b, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true });
  assert.deepEqual([r2.embedded, r2.reused], [1, 2]);
  assert.deepEqual(b.map((c) => c.loads), [0, 1, 0]);
  const e2 = readEmbeddings(out);
  assert.deepEqual(e2.meta.clipIds, ['blues.00001', 'rock.00003', 'disco.00002']);
  const block = 4 * 128;
  assert.deepEqual(e2.data.subarray(0, block), e1.data.subarray(0, block));
  assert.deepEqual(e2.data.subarray(2 * block, 3 * block), e1.data.subarray(block, 2 * block));
  // Fresh embedding of the same clip is byte-identical (determinism).
  const again = await embedder.embed([synthClip(SYNTH_CLASSES[3], 3).subarray(0, 220500)]);
  assert.deepEqual(again, e2.data.subarray(block, block + 128));
});

test('embedClips resumes after a crash from the per-clip cache next to the output', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'b2m-embedclips-')), 'genre.npy');
  const inner = createGenreEmbedder();
  let calls = 0;
  const flaky: Embedder = { ...inner, embed: async (w, c) => { if (++calls === 2) throw new Error('killed'); return inner.embed(w, c); } };
  const ids = ['jazz.00001', 'pop.00002', 'rock.00003'];
  const clips = ids.map((id) => ({ id, load: async () => new Float32Array(0) }));
  await assert.rejects(embedClips({ embedder: flaky, clips, out, clipSec: 15, windowSec: 5, hopSec: 1.5, needsAudio: false, batchClips: 1 }), /killed/);
  assert.ok(existsSync(`${out}.parts`) && !existsSync(out));
  const r = await embedClips({ embedder: flaky, clips, out, clipSec: 15, windowSec: 5, hopSec: 1.5, needsAudio: false, batchClips: 1 });
  assert.deepEqual([r.embedded, r.reused], [2, 1]);
  const e = readEmbeddings(out);
  assert.deepEqual(readNpy(out).shape, [3, 7, 10]);
  assert.equal(e.data[0 * 70 + 5], 1); // jazz column, window 0
  assert.equal(e.data[1 * 70 + 6 * 10 + 7], 1); // pop column, window 6
  assert.equal(e.data[2 * 70 + 3 * 10 + 9], 1); // rock column, window 3
});

test('embedClips fails on a short clip naming it, or skips it with skipShort', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'b2m-embedclips-')), 'b.npy');
  const embedder = createBuiltinEmbedder();
  const clips = [clip('a.1', 0, 1, 15), clip('b.2', 0, 2, 12)];
  await assert.rejects(embedClips({ embedder, clips, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true }), /'b\.2' lasts 12\.00 s.*--skip-short/);
  const warnings: string[] = [];
  const r = await embedClips({ embedder, clips, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true, skipShort: true, onWarning: (l) => warnings.push(l) });
  assert.deepEqual(r.skipped, ['b.2']);
  assert.deepEqual(r.meta.clipIds, ['a.1']);
  assert.equal(warnings.length, 1);
});
