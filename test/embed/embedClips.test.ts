import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuiltinEmbedder, createGenreEmbedder, embedClips, readEmbeddings, type ClipSource, type Embedder } from '../../src/embed/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
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
  await assert.rejects(embedClips({ embedder, clips, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true }), /'b\.2' lasts 12\.00 s, but --clip needs 15 s: 3\.00 s short, more than the 0\.5 s.*--max-pad.*--skip-short/);
  const warnings: string[] = [];
  const r = await embedClips({ embedder, clips, out, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true, skipShort: true, onWarning: (l) => warnings.push(l) });
  assert.deepEqual(r.skipped, ['b.2']);
  assert.deepEqual(r.meta.clipIds, ['a.1']);
  assert.equal(warnings.length, 1);
});

// A probe model: per window [sum, samples, 1 + index of the last non-zero sample], so padding shows exactly.
const probe: Embedder = {
  name: 'probe', version: 'probe-1', dim: 3, sampleRate: 22050, windowSec: 0,
  embed: async (ws) => Float32Array.from(ws.flatMap((w) => {
    let last = -1;
    let sum = 0;
    w.forEach((x, i) => { sum += x; if (x !== 0) last = i; });
    return [sum, w.length, last + 1];
  })),
};
const ones = (sec: number): Float32Array => new Float32Array(Math.round(sec * 22050)).fill(1);
const src = (id: string, sec: number, file?: string): ClipSource => ({ id, file, load: async () => ones(sec) });
const tmpOut = (name: string) => join(mkdtempSync(join(tmpdir(), 'b2m-embedpad-')), name);
const isBadInput = (re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && re.test(e.message);

test('embedClips pads a 14.98 s clip with 20 ms of silence and records it in the JSON; none padded: no "padded" key', async () => {
  const out = tmpOut('p.npy');
  const r = await embedClips({ embedder: probe, clips: [src('blues.00001', 15), src('jazz.00002', 14.98)], out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true });
  assert.deepEqual(r.padded, { 'jazz.00002': 0.02 });
  const e = readEmbeddings(out);
  assert.deepEqual(e.meta.padded, { 'jazz.00002': 0.02 });
  // 14.98 s at 22050 Hz = 330309 samples of audio, then 441 zeros up to 330750
  assert.deepEqual(Array.from(e.data), [330750, 330750, 330750, 330309, 330750, 330309]);
  // a run where nothing is short writes the JSON as before: no padded key at all
  const plain = tmpOut('q.npy');
  await embedClips({ embedder: probe, clips: [src('blues.00001', 15)], out: plain, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true });
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(plain.replace(/\.npy$/, '.json'), 'utf8'))), ['model', 'version', 'dim', 'sampleRate', 'windowSec', 'hopSec', 'clipSec', 'windowStarts', 'clipIds']);
});

test('embedClips fails on a 12 s clip naming it and its file, lengths and --max-pad; the threshold is configurable', async () => {
  const clips = [src('blues.00001', 15), src('rock.00003', 12, '/gtzan/rock.00003.wav')];
  await assert.rejects(embedClips({ embedder: probe, clips, out: tmpOut('a.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true }),
    isBadInput(/clip 'rock\.00003' \(\/gtzan\/rock\.00003\.wav\) lasts 12\.00 s, but --clip needs 15 s: 3\.00 s short, more than the 0\.5 s of silence padded at most; .*raise --max-pad/));
  const wide = await embedClips({ embedder: probe, clips, out: tmpOut('b.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, maxPadSec: 3 });
  assert.deepEqual(wide.padded, { 'rock.00003': 3 });
  await assert.rejects(embedClips({ embedder: probe, clips: [src('jazz.00002', 14.98)], out: tmpOut('c.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, maxPadSec: 0 }), isBadInput(/0\.02 s short, more than the 0 s/));
  await assert.rejects(embedClips({ embedder: probe, clips, out: tmpOut('d.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, maxPadSec: -1 }), isBadInput(/maxPadSec \(--max-pad\) must be a number of seconds >= 0, got -1/));
  // --skip-short still leaves out clips beyond the limit, and keeps padding those within it
  const r = await embedClips({ embedder: probe, clips: [...clips, src('jazz.00002', 14.98)], out: tmpOut('e.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, skipShort: true });
  assert.deepEqual([r.skipped, r.meta.clipIds, r.padded], [['rock.00003'], ['blues.00001', 'jazz.00002'], { 'jazz.00002': 0.02 }]);
});

test('embedClips records the silence a source already padded in (a 29.9 s track cut to an excerpt ending at 30 s)', async () => {
  const track: ClipSource = { id: 'pop.00049', load: async () => ({ samples: ones(15), paddedSec: 0.1 }) };
  const r = await embedClips({ embedder: probe, clips: [track, src('pop.00050', 14.99)], out: tmpOut('t.npy'), clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true });
  // 14.99 s at 22050 Hz rounds to 330530 samples: 220 short, 0.009977 s (recorded to the microsecond)
  assert.deepEqual(r.meta.padded, { 'pop.00049': 0.1, 'pop.00050': 0.009977 });
});

test('embedClips keeps the padding record across a resume, and a failure that saved no clip leaves no .parts folder', async () => {
  const out = tmpOut('r.npy');
  const short = src('jazz.00002', 14.98);
  let calls = 0;
  const flaky: Embedder = { ...probe, embed: async (w, c) => { if (++calls === 2) throw new Error('killed'); return probe.embed(w, c); } };
  const clips = [short, src('blues.00001', 15)];
  // the first call fails at once: nothing was embedded, so no cache folder stays behind
  const failing: Embedder = { ...probe, embed: async () => { throw new Error('model crashed'); } };
  await assert.rejects(embedClips({ embedder: failing, clips, out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, batchClips: 1 }), /model crashed/);
  assert.ok(!existsSync(`${out}.parts`), 'no empty resume folder');
  await assert.rejects(embedClips({ embedder: probe, clips: [src('x.00001', 5)], out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true }), isBadInput(/x\.00001/));
  assert.ok(!existsSync(`${out}.parts`) && !existsSync(out), 'a short clip failing the run leaves nothing');
  // the second batch fails: the first clip (padded) is kept in the cache with its padding
  await assert.rejects(embedClips({ embedder: flaky, clips, out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, batchClips: 1 }), /killed/);
  assert.deepEqual(readdirSync(`${out}.parts`).sort(), ['jazz.00002.f32', 'padded.json', 'settings.json']);
  const r = await embedClips({ embedder: flaky, clips, out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, batchClips: 1 });
  assert.deepEqual([r.embedded, r.reused, r.padded], [1, 1, { 'jazz.00002': 0.02 }]);
  // reused from the finished output on a grown list: still recorded
  const r2 = await embedClips({ embedder: probe, clips: [...clips, src('rock.00003', 15)], out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true });
  assert.deepEqual([r2.embedded, r2.reused, r2.meta.padded], [1, 2, { 'jazz.00002': 0.02 }]);
  // a stricter limit does not reuse a clip padded beyond it
  await assert.rejects(embedClips({ embedder: probe, clips, out, clipSec: 15, windowSec: 15, hopSec: 1.5, needsAudio: true, maxPadSec: 0.01 }), isBadInput(/jazz\.00002/));
});
