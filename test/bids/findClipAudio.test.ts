import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClipAudio, locateClipAudio, readClipExcerpt } from '../../src/bids/index.ts';
import { writeWav } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

/** A Sun .au file (16-bit big-endian PCM, mono), the format GTZAN ships. */
function auBytes(samples: Float32Array, rate: number): Uint8Array {
  const out = new Uint8Array(24 + samples.length * 2);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x2e736e64);
  v.setUint32(4, 24);
  v.setUint32(8, samples.length * 2);
  v.setUint32(12, 3);
  v.setUint32(16, rate);
  v.setUint32(20, 1);
  samples.forEach((x, i) => v.setInt16(24 + 2 * i, Math.round(x * 32767)));
  return out;
}

test('findClipAudio(root, id) finds GTZAN genres/<genre>/<id>.au, flat <id>.wav, and prefers the nested layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-gtzan-'));
  try {
    mkdirSync(join(dir, 'genres', 'blues'), { recursive: true });
    writeFileSync(join(dir, 'genres', 'blues', 'blues.00017.au'), auBytes(new Float32Array(10), 22050));
    writeWav(join(dir, 'reggae.00052.wav'), new Float32Array(10), 22050);
    writeWav(join(dir, 'blues.00017.wav'), new Float32Array(10), 22050);
    assert.equal(findClipAudio(dir, 'blues.00017'), join(dir, 'genres', 'blues', 'blues.00017.au'));
    assert.equal(findClipAudio(dir, 'reggae.00052'), join(dir, 'reggae.00052.wav'));
    assert.equal(findClipAudio(dir, 'rock.00001'), null);
    const m = locateClipAudio(dir, ['blues.00017', 'reggae.00052']);
    assert.equal(m.size, 2);
    assert.throws(() => locateClipAudio(dir, ['blues.00017', 'rock.00001', 'pop.00002']), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND' && /2 of 3 clips have no audio .*first: rock\.00001, pop\.00002/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readClipExcerpt(path, clip) cuts the 15 s excerpt of a 30 s .au track with fades, at the asked rate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-gtzan-'));
  try {
    const rate = 22050;
    const track = Float32Array.from({ length: 30 * rate }, (_, n) => 0.3 * Math.sin((2 * Math.PI * 220 * n) / rate));
    const p = join(dir, 'jazz.00049.au');
    writeFileSync(p, auBytes(track, rate));
    const y = await readClipExcerpt(p, { id: 'jazz.00049', start: 7.5, end: 22.5 }, { sampleRate: rate });
    assert.equal(y.length, 15 * rate);
    const n = 5 * rate;
    assert.ok(Math.abs(y[n] - track[Math.round(7.5 * rate) + n]) < 1e-4);
    assert.ok(Math.abs(y[rate] - 0.5 * track[Math.round(7.5 * rate) + rate]) < 1e-4); // half way through the 2 s fade-in
    const z = await readClipExcerpt(p, { id: 'jazz.00049', start: 0, end: 15 }, { sampleRate: 16000, targetRms: 0.1 });
    assert.equal(z.length, 15 * 16000);
    await assert.rejects(readClipExcerpt(p, { id: 'jazz.00049', start: 31, end: 46 }, { sampleRate: rate }), /starts at 31 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
