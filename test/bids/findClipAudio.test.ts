import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClipAudio, locateClipAudio, readClipExcerpt } from '../../src/bids/index.ts';
import { writeWav } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { auBytes } from '../helpers/auFile.ts';

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
    const { samples: y, paddedSec } = await readClipExcerpt(p, { id: 'jazz.00049', start: 7.5, end: 22.5 }, { sampleRate: rate });
    assert.equal(y.length, 15 * rate);
    assert.equal(paddedSec, 0);
    const n = 5 * rate;
    assert.ok(Math.abs(y[n] - track[Math.round(7.5 * rate) + n]) < 1e-4);
    assert.ok(Math.abs(y[rate] - 0.5 * track[Math.round(7.5 * rate) + rate]) < 1e-4); // half way through the 2 s fade-in
    const z = (await readClipExcerpt(p, { id: 'jazz.00049', start: 0, end: 15 }, { sampleRate: 16000, targetRms: 0.1 })).samples;
    assert.equal(z.length, 15 * 16000);
    await assert.rejects(readClipExcerpt(p, { id: 'jazz.00049', start: 31, end: 46 }, { sampleRate: rate }), /starts at 31 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readClipExcerpt(path, clip) pads a 29.9 s track whose excerpt ends at 30.0 s with silence, fails past maxPadSec naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-gtzan-'));
  try {
    const rate = 22050;
    const tone = (sec: number) => Float32Array.from({ length: Math.round(sec * rate) }, (_, n) => 0.3 * Math.sin((2 * Math.PI * 220 * n) / rate));
    const p = join(dir, 'blues.00017.au');
    writeFileSync(p, auBytes(tone(29.9), rate));
    const clip = { id: 'blues.00017', start: 15, end: 30 };
    const { samples, paddedSec } = await readClipExcerpt(p, clip, { sampleRate: rate, fadeSec: 0 });
    assert.equal(samples.length, 15 * rate);
    assert.equal(paddedSec, Math.round(0.1 * rate) / rate); // 2205 samples = 0.1 s
    // the track's last sample, then exact silence for the last 0.1 s
    assert.ok(Math.abs(samples[Math.round(14.9 * rate) - 1] - tone(29.9)[Math.round(29.9 * rate) - 1]) < 1e-4);
    assert.ok(samples.subarray(Math.round(14.9 * rate)).every((x) => x === 0));
    // a 29 s track is 1 s short: more than the default 0.5 s
    const q = join(dir, 'blues.00018.au');
    writeFileSync(q, auBytes(tone(29), rate));
    await assert.rejects(readClipExcerpt(q, { ...clip, id: 'blues.00018' }, { sampleRate: rate }),
      (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && e.message.includes(q) && /lasts 29\.00 s.*needs 30\.00 s: 1\.00 s short.*--max-pad/.test(e.message));
    // the threshold is an option
    assert.equal((await readClipExcerpt(q, { ...clip, id: 'blues.00018' }, { sampleRate: rate, maxPadSec: 1.5 })).paddedSec, 1);
    await assert.rejects(readClipExcerpt(p, clip, { sampleRate: rate, maxPadSec: 0.05 }), /0\.10 s short, more than the 0\.05 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
