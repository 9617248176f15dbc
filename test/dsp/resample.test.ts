import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resample } from '../../src/dsp/index.ts';

const tone = (f: number, rate: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, n) => amp * Math.sin((2 * Math.PI * f * n) / rate));

/** Least-squares amplitude of a sinusoid of frequency f in y[lo..hi) (rate in Hz). */
function amplitudeAt(y: Float32Array, f: number, rate: number, lo: number, hi: number): number {
  let cc = 0;
  let ss = 0;
  let cs = 0;
  let yc = 0;
  let ys = 0;
  for (let n = lo; n < hi; n++) {
    const c = Math.cos((2 * Math.PI * f * n) / rate);
    const s = Math.sin((2 * Math.PI * f * n) / rate);
    cc += c * c; ss += s * s; cs += c * s; yc += y[n] * c; ys += y[n] * s;
  }
  const det = cc * ss - cs * cs;
  const a = (yc * ss - ys * cs) / det;
  const b = (ys * cc - yc * cs) / det;
  return Math.hypot(a, b);
}

function rms(y: Float32Array, lo: number, hi: number): number {
  let s = 0;
  for (let n = lo; n < hi; n++) s += y[n] * y[n];
  return Math.sqrt(s / (hi - lo));
}

const db = (x: number) => 20 * Math.log10(x);
const chain = (x: Float32Array) => resample(resample(x, 22050, 48000), 48000, 16000);

test('resample(x, 22050→48000→16000) keeps in-band tones within 0.1 dB', () => {
  for (const f of [60, 440, 1000, 3000, 5000, 6500, 7000, 7200]) {
    const y = chain(tone(f, 22050, 1.5));
    assert.equal(y.length, 24000);
    const gain = db(amplitudeAt(y, f, 16000, 4000, 20000) / 0.5);
    assert.ok(Math.abs(gain) <= 0.1, `${f} Hz: ${gain.toFixed(4)} dB`);
  }
});

test('resample(x, 22050→48000→16000) rejects aliases of tones above 8 kHz by at least 60 dB', () => {
  for (const f of [8050, 8500, 9000, 10000, 11000]) {
    const y = chain(tone(f, 22050, 1.5));
    const rejection = db(rms(y, 4000, 20000) / (0.5 / Math.SQRT2));
    assert.ok(rejection <= -60, `${f} Hz leaks at ${rejection.toFixed(1)} dB`);
  }
});

test('resample(x, 22050→48000) keeps 9 kHz within 0.1 dB and its 13.05 kHz image below -60 dB', () => {
  const y = resample(tone(9000, 22050, 1), 22050, 48000);
  assert.equal(y.length, 48000);
  assert.ok(Math.abs(db(amplitudeAt(y, 9000, 48000, 8000, 40000) / 0.5)) <= 0.1);
  assert.ok(db(amplitudeAt(y, 22050 - 9000, 48000, 8000, 40000) / 0.5) <= -60);
});

test('resample(sweep, 22050→48000→16000) matches the ideal sweep at 16 kHz to -60 dB (in band, no delay)', () => {
  // logarithmic sweep 50 Hz → 7 kHz over 3 s, defined analytically so both rates can be sampled exactly
  const T = 3;
  const f0 = 50;
  const f1 = 7000;
  const k = Math.log(f1 / f0) / T;
  const sweep = (t: number) => 0.5 * Math.sin(((2 * Math.PI * f0) / k) * (Math.exp(k * t) - 1));
  const x = Float32Array.from({ length: 22050 * T }, (_, n) => sweep(n / 22050));
  const y = chain(x);
  const ideal = Float32Array.from({ length: 16000 * T }, (_, n) => sweep(n / 16000));
  let err = 0;
  let sig = 0;
  for (let n = 1600; n < 16000 * T - 1600; n++) {
    err += (y[n] - ideal[n]) ** 2;
    sig += ideal[n] ** 2;
  }
  const rel = db(Math.sqrt(err / sig));
  assert.ok(rel <= -60, `sweep error ${rel.toFixed(1)} dB`);
});

test('resample(x, r, r) is a copy; bad rates are BAD_INPUT; odd ratios still band-limit', () => {
  const x = Float32Array.from([1, 2, 3]);
  const y = resample(x, 16000, 16000);
  assert.deepEqual(Array.from(y), [1, 2, 3]);
  assert.notEqual(y, x);
  assert.throws(() => resample(x, 0, 16000), /positive integers/);
  assert.throws(() => resample(x, 44100.5, 16000), /positive integers/);
  // 44100 → 44101 has 44101 phases: computed on the fly
  const z = resample(tone(1000, 44100, 0.2), 44100, 44101);
  assert.equal(z.length, Math.ceil((8820 * 44101) / 44100));
  assert.ok(Math.abs(db(amplitudeAt(z, 1000, 44101, 1000, 7800) / 0.5)) <= 0.1);
});
