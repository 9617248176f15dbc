import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atRate } from '../../src/dsp/index.ts';
import { readAudio, decodeAudio, parseWav, encodeWav, writeWav, mixToMono } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const SOX = '/usr/bin/sox';
const hasSox = spawnSync(SOX, ['--version']).status === 0;
const soxHas = (fmt: string) => hasSox && spawnSync(SOX, ['-n', '-t', fmt, '/dev/null', 'trim', '0', '0.01']).status === 0;
const skipSox = hasSox ? false : 'needs sox (Debian sox + libsox-fmt-all; npm test installs them as root)';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-audio-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** sox: 1 s of a 440 Hz sine at amplitude 0.5, 22050 Hz, undithered, in the given output format. */
function soxTone(name: string, args: string[], channels = 2): string {
  const p = join(dir, name);
  const r = spawnSync(SOX, ['-D', '-n', '-r', '22050', '-c', String(channels), ...args, p, 'synth', '1', 'sine', '440', 'vol', '0.5'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sox failed for ${name}: ${r.stderr}`);
  return p;
}

const ref = (n: number, rate = 22050) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / rate);

/** The tone exactly as sox synthesises it (sox's synth is not phase-exact to the formula), raw float64. */
function soxReference(): Float64Array {
  const r = spawnSync(SOX, ['-D', '-n', '-r', '22050', '-c', '1', '-t', 'f64', '-', 'synth', '1', 'sine', '440', 'vol', '0.5'], { maxBuffer: 1 << 22 });
  const b = r.stdout as Buffer;
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxError(y: Float32Array, reference: Float64Array): number {
  assert.equal(y.length, reference.length);
  let m = 0;
  for (let n = 0; n < y.length; n++) m = Math.max(m, Math.abs(y[n] - reference[n]));
  return m;
}

/** Amplitude at 440 Hz and the residual RMS after removing that sinusoid (least squares). */
function fit440(y: Float32Array, rate: number, lo: number, hi: number): { amp: number; residualDb: number } {
  let cc = 0, ss = 0, cs = 0, yc = 0, ys = 0, yy = 0;
  for (let n = lo; n < hi; n++) {
    const c = Math.cos((2 * Math.PI * 440 * n) / rate);
    const s = Math.sin((2 * Math.PI * 440 * n) / rate);
    cc += c * c; ss += s * s; cs += c * s; yc += y[n] * c; ys += y[n] * s; yy += y[n] * y[n];
  }
  const det = cc * ss - cs * cs;
  const a = (yc * ss - ys * cs) / det;
  const b = (ys * cc - yc * cs) / det;
  let res = 0;
  for (let n = lo; n < hi; n++) res += (y[n] - a * Math.cos((2 * Math.PI * 440 * n) / rate) - b * Math.sin((2 * Math.PI * 440 * n) / rate)) ** 2;
  return { amp: Math.hypot(a, b), residualDb: 10 * Math.log10(res / yy) };
}

// Stated errors against the tone as sox renders it in float64 (max abs sample error): PCM ≤ 1 LSB (+ float rounding),
// float formats ≤ 1e-6; μ-law ≤ 1/32 (its largest step near amplitude 0.5); FLAC (16-bit) ≤ 1 LSB.
// Besides, every file decodes as sox itself decodes it (to float32 rounding, plus half a 16-bit
// step where sox rounds its own mix of two channels that differ by one step).
const PCM_CASES: [string, string[], number, number][] = [
  ['u8.wav', ['-e', 'unsigned', '-b', '8'], 1.01 / 128, 2],
  ['s16.wav', ['-e', 'signed', '-b', '16'], 1.01 / 32768, 2],
  ['s24.wav', ['-e', 'signed', '-b', '24'], 1.01 / 8388608 + 1e-7, 2],
  ['s32.wav', ['-e', 'signed', '-b', '32'], 1e-7, 2],
  ['f32.wav', ['-e', 'floating-point', '-b', '32'], 1e-6, 2],
  ['f64.wav', ['-e', 'floating-point', '-b', '64'], 1e-6, 2],
  ['s24x3.wav', ['-e', 'signed', '-b', '24'], 1.01 / 8388608 + 1e-7, 3], // 3 channels: WAVE_FORMAT_EXTENSIBLE
  ['s16.au', ['-e', 'signed', '-b', '16'], 1.01 / 32768, 1],
  ['ulaw.au', ['-e', 'u-law'], 1 / 32, 1],
  ['s16.flac', ['-b', '16'], 1.01 / 32768, 2],
];

test('readAudio(path) decodes WAV (PCM 8/16/24/32, float 32/64, extensible), AU and FLAC to the reference tone', { skip: skipSox }, async () => {
  const reference = soxReference();
  for (const [name, args, tol, ch] of PCM_CASES) {
    const p = soxTone(name, args, ch);
    const a = await readAudio(p);
    assert.equal(a.sampleRate, 22050, name);
    assert.equal(a.samples.length, 22050, name);
    const err = maxError(a.samples, reference);
    assert.ok(err <= tol, `${name}: max error ${err} > ${tol}`);
    const raw = spawnSync(SOX, [p, '-c', '1', '-t', 'f64', '-'], { maxBuffer: 1 << 22 }).stdout as Buffer;
    const soxDecoded = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    assert.ok(maxError(a.samples, soxDecoded) <= 1e-6 + 0.5 / 32768, `${name}: differs from sox's own decoding`);
  }
  // the 3-channel file really is WAVE_FORMAT_EXTENSIBLE (format tag 0xFFFE at byte 20)
  const x = readFileSync(join(dir, 's24x3.wav'));
  assert.equal(x.readUInt16LE(20), 0xfffe);
});

// Lossy: the encoder changes the level a little (sox's LAME MP3 comes out 0.45 dB low, whoever
// decodes it), so the tone is checked within 1 dB and our level against sox's own decoding of
// the same file within 0.05 dB; the residual (everything but the 440 Hz tone) within the bound.
for (const [fmt, tolDb, resDb] of [['mp3', 1, -40], ['ogg', 1, -30]] as const) {
  test(`readAudio(path) decodes ${fmt.toUpperCase()} (audio-decode) to the tone within ${tolDb} dB (level as sox decodes it ±0.05 dB), residual ≤ ${resDb} dB`, { skip: soxHas(fmt) ? false : `needs sox with ${fmt} support (libsox-fmt-all)` }, async () => {
    const p = soxTone(`tone.${fmt}`, [], 2);
    const a = await readAudio(p);
    assert.equal(a.sampleRate, 22050);
    // lossy codecs pad the start and end (encoder delay): length within 0.1 s, amplitude by fit
    assert.ok(Math.abs(a.samples.length - 22050) < 2205, `${fmt} length ${a.samples.length}`);
    const { amp, residualDb } = fit440(a.samples, 22050, 4000, 18000);
    assert.ok(Math.abs(20 * Math.log10(amp / 0.5)) <= tolDb, `${fmt} amplitude ${amp}`);
    assert.ok(residualDb <= resDb, `${fmt} residual ${residualDb.toFixed(1)} dB`);
    const raw = spawnSync(SOX, [p, '-t', 'f64', '-'], { maxBuffer: 1 << 22 }).stdout as Buffer;
    const viaSox = Float32Array.from(new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)).filter((_, i) => i % 2 === 0));
    const soxAmp = fit440(viaSox, 22050, 4000, 18000).amp;
    assert.ok(Math.abs(20 * Math.log10(amp / soxAmp)) <= 0.05, `${fmt}: level ${amp} vs sox ${soxAmp}`);
  });
}

test('atRate(await readAudio(path), rate) resamples a decoded file to the requested rate keeping the tone; at its own rate it is the samples themselves', { skip: skipSox }, async () => {
  const p = soxTone('s16-rs.wav', ['-e', 'signed', '-b', '16'], 1);
  const decoded = await readAudio(p);
  assert.equal(decoded.sampleRate, 22050);
  assert.equal(atRate(decoded, 22050), decoded.samples);
  const x = atRate(decoded, 16000);
  assert.equal(x.length, 16000);
  let m = 0;
  for (let n = 800; n < 15200; n++) m = Math.max(m, Math.abs(x[n] - ref(n, 16000)));
  assert.ok(m < 1e-3, `max error ${m}`);
});

test('writeWav(path, samples, rate) writes pcm16 and float32 that sox reads back identically', { skip: skipSox }, () => {
  const x = Float32Array.from({ length: 1000 }, (_, n) => 0.9 * Math.sin(n / 7));
  writeWav(join(dir, 'w16.wav'), x, 22050);
  writeWav(join(dir, 'w32.wav'), x, 22050, { format: 'float32' });
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  const info = (f: string) => spawnSync(SOX, ['--i', join(dir, f)], { encoding: 'utf8' }).stdout;
  assert.match(info('w16.wav'), /Sample Rate\s+: 22050/);
  assert.match(info('w16.wav'), /16-bit Signed Integer PCM/);
  assert.match(info('w32.wav'), /32-bit Floating Point PCM/);
  // sox converts both to raw float64: identical to what we wrote (pcm16 after rounding)
  for (const [f, expect] of [['w32.wav', Array.from(x)], ['w16.wav', Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(Math.max(-1, Math.min(1, v)) * 32768))) / 32768)]] as const) {
    const raw = spawnSync(SOX, [join(dir, f), '-t', 'f64', '-'], { maxBuffer: 1 << 20 }).stdout as Buffer;
    const got = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    // sox holds samples as 32-bit integers internally: float input comes back to within 2^-31
    assert.equal(got.length, expect.length);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expect[i]) <= (f === 'w32.wav' ? 2 ** -31 : 0), `${f}[${i}]`);
  }
});

test('encodeWav / parseWav round-trip exactly and reject truncated or unsupported files', async () => {
  const x = Float32Array.from([0, 0.5, -0.5, 1, -1, 0.25, 1.5, -3]);
  const f = parseWav(encodeWav(x, 8000, { format: 'float32' }));
  assert.deepEqual(Array.from(f.channels[0]), Array.from(x));
  const p = parseWav(encodeWav(x, 8000));
  assert.deepEqual(Array.from(p.channels[0]), [0, 0.5, -0.5, 32767 / 32768, -1, 0.25, 32767 / 32768, -1]); // clipped
  assert.deepEqual(encodeWav(x, 8000), encodeWav(x, 8000));
  const bytes = encodeWav(new Float32Array(100), 8000);
  assert.throws(() => parseWav(bytes.subarray(0, 150), 'cut.wav'), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && /cut\.wav: truncated: the data chunk declares 200 bytes but only 106 follow/.test(e.message));
  const adpcm = bytes.slice();
  new DataView(adpcm.buffer).setUint16(20, 2, true);
  assert.throws(() => parseWav(adpcm, 'adpcm.wav'), (e: unknown) => e instanceof Brain2MusicError && e.code === 'UNSUPPORTED' && /format tag 2/.test(e.message));
  writeFileSync(join(dir, 'junk.mp3'), Buffer.from('definitely not audio, just some text bytes here'.repeat(10)));
  await assert.rejects(readAudio(join(dir, 'junk.mp3')), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && /junk\.mp3/.test(e.message));
  await assert.rejects(readAudio(join(dir, 'missing.wav')), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
  await assert.rejects(decodeAudio(new Uint8Array(0), 'empty'), (e: unknown) => e instanceof Brain2MusicError);
});

test('mixToMono(channels) averages channels', () => {
  assert.deepEqual(Array.from(mixToMono([Float32Array.from([1, 0, 2]), Float32Array.from([0, 1, 4])])), [0.5, 0.5, 3]);
});
