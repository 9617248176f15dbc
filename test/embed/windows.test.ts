import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutWindows, windowStarts } from '../../src/embed/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

test('windowStarts(15, 10) gives the 4 MuLan windows [0, 1.5, 3, 4.5]', () => {
  assert.deepEqual(windowStarts(15, 10, 1.5), [0, 1.5, 3, 4.5]);
  assert.deepEqual(windowStarts(), [0, 1.5, 3, 4.5]);
});

test('windowStarts(15, 5) gives the 7 w2v-BERT windows', () => {
  assert.deepEqual(windowStarts(15, 5, 1.5), [0, 1.5, 3, 4.5, 6, 7.5, 9]);
});

test('windowStarts(15, 1.5) gives the 10 SoundStream windows, one per TR', () => {
  assert.deepEqual(windowStarts(15, 1.5, 1.5), [0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5]);
});

test('windowStarts(15, 15) is the whole clip; custom hops stay exact decimals', () => {
  assert.deepEqual(windowStarts(15, 15, 1.5), [0]);
  assert.deepEqual(windowStarts(1, 0.5, 0.1), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
});

test('windowStarts rejects a window longer than the clip and non-positive values', () => {
  assert.throws(() => windowStarts(15, 20, 1.5), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /--window/.test(e.message));
  assert.throws(() => windowStarts(15, 10, 0), Brain2MusicError);
  assert.throws(() => windowStarts(-1, 10, 1.5), Brain2MusicError);
});

test('cutWindows(samples, sr, starts, windowSec) cuts exact-length windows at the starts', () => {
  const sr = 10;
  const x = Float32Array.from({ length: 150 }, (_, i) => i);
  const w = cutWindows(x, sr, windowStarts(15, 10, 1.5), 10);
  assert.equal(w.length, 4);
  for (const win of w) assert.equal(win.length, 100);
  assert.deepEqual([w[0][0], w[1][0], w[2][0], w[3][0], w[3][99]], [0, 15, 30, 45, 144]);
});

test('cutWindows zero-pads a clip a few samples short (resampling rounding)', () => {
  const x = new Float32Array(140).fill(1);
  const w = cutWindows(x, 10, [4.5], 10);
  assert.equal(w[0].length, 100);
  assert.equal(w[0][139 - 45], 1);
  assert.equal(w[0][140 - 45], 0);
  assert.equal(w[0][99], 0);
});
