import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutExcerpt, paddingSamples } from '../../src/dsp/index.ts';
import { EMBED_DEFAULTS } from '../../src/defaults.ts';

test('cutExcerpt(track, rate, start, end) cuts, fades 2 s linearly and RMS-normalises', () => {
  const rate = 100;
  const track = Float32Array.from({ length: 3000 }, (_, n) => (n % 2 ? 0.5 : -0.5)); // 30 s at 100 Hz
  const y = cutExcerpt(track, rate, 7.5, 22.5, { fadeSec: 2 });
  assert.equal(y.length, 1500);
  assert.ok(y[0] === 0);
  assert.equal(y[100], track[850] * 0.5);
  assert.equal(y[200], track[950]);
  assert.ok(y[1499] === 0);
  assert.equal(y[1399], track[750 + 1399] * (100 / 200));
  const z = cutExcerpt(track, rate, 7.5, 22.5, { targetRms: 0.1 });
  let ss = 0;
  for (const v of z) ss += v * v;
  assert.ok(Math.abs(Math.sqrt(ss / z.length) - 0.1) < 1e-6);
  // past the end of a short track: zeros
  const short = cutExcerpt(track.subarray(0, 2000), rate, 10, 25, { fadeSec: 0 });
  assert.equal(short.length, 1500);
  assert.equal(short[999], track[1999]);
  assert.equal(short[1000], 0);
  assert.throws(() => cutExcerpt(track, rate, 20, 10), /start < end/);
  assert.throws(() => cutExcerpt(track, rate, 31, 40), /only 30\.00 s long/);
  assert.throws(() => cutExcerpt(track, rate, 0, 3, { fadeSec: 2 }), /do not fit/);
});

test('paddingSamples(have, need, rate, maxPadSec) is the shortfall up to maxPadSec, null beyond, 0 when long enough', () => {
  assert.equal(EMBED_DEFAULTS.maxPadSec, 0.5);
  assert.equal(paddingSamples(719040, 720000, 48000, 0.5), 960); // 14.98 s → 15 s
  assert.equal(paddingSamples(720000 - 24000, 720000, 48000, 0.5), 24000, 'exactly 0.5 s short: padded');
  assert.equal(paddingSamples(720000 - 24001, 720000, 48000, 0.5), null, 'one sample more: refused');
  assert.equal(paddingSamples(576000, 720000, 48000, 0.5), null); // 12 s
  assert.equal(paddingSamples(576000, 720000, 48000, 3), 144000);
  assert.equal(paddingSamples(800000, 720000, 48000, 0), 0);
  assert.equal(paddingSamples(719999, 720000, 48000, 0), null, 'maxPadSec 0: no padding at all');
  assert.throws(() => paddingSamples(1, 2, 48000, Number.NaN), /maxPadSec \(--max-pad\) must be a number of seconds >= 0/);
});
