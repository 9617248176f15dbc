import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { bandSpectrogram, hann, powerSpectrogram, powerSpectrogramAt } from '../../src/dsp/index.ts';

const PY = '/usr/bin/python3';
const hasScipy = spawnSync(PY, ['-c', 'import numpy, scipy.signal']).status === 0;
const skip = hasScipy ? false : 'needs /usr/bin/python3 with numpy and scipy (Debian python3-scipy)';

/** Runs a numpy script on JSON input (stdin) and parses the JSON it prints. */
function numpy<T>(script: string, input: unknown): T {
  const r = spawnSync(PY, ['-c', `import json, sys, numpy as np, scipy.signal as ss\nd = json.load(sys.stdin)\n${script}`], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A deterministic test signal: two tones, a chirp and a click train, float32. */
const signal = (n: number, sr: number) => Float32Array.from({ length: n }, (_, i) => {
  const t = i / sr;
  return 0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 3100 * t + 1) + 0.1 * Math.sin(2 * Math.PI * (200 + 900 * t) * t) + (i % 1000 === 0 ? 0.5 : 0);
});

/** Largest |a − b| relative to the largest |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'length');
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return m / s;
}

test('hann(n) is the periodic Hann window (scipy.signal.windows.hann(n, sym=False))', { skip }, () => {
  assert.ok(relErr(hann(4), [0, 0.5, 1, 0.5]) < 1e-15);
  for (const n of [2, 7, 256, 1024]) {
    const want = numpy<number[]>('print(json.dumps(ss.windows.hann(d, sym=False).tolist()))', n);
    assert.ok(relErr(hann(n), want) < 1e-15, `n = ${n}`);
  }
});

test('powerSpectrogram(x, nFft, hop) is |rfft(hann · frame)|² of frames t·hop (numpy, to 1e-9 of the peak), a short signal one zero-padded frame', { skip }, () => {
  const x = signal(3000, 8000);
  const s = powerSpectrogram(x, 256, 100);
  assert.deepEqual([s.frames, s.bins], [28, 129]);
  const want = numpy<number[]>(`x = np.array(d['x'], dtype=np.float64); w = ss.windows.hann(256, sym=False)
F = np.array([np.abs(np.fft.rfft(x[t*100:t*100+256] * w))**2 for t in range(28)])
print(json.dumps(F.ravel().tolist()))`, { x: Array.from(x) });
  assert.ok(relErr(s.data, want) < 1e-9, `relative error ${relErr(s.data, want)}`);
  const short = powerSpectrogram(x.subarray(0, 100), 256, 100);
  assert.equal(short.frames, 1);
  const wantShort = numpy<number[]>(`x = np.zeros(256); x[:100] = d['x']
print(json.dumps((np.abs(np.fft.rfft(x * ss.windows.hann(256, sym=False)))**2).tolist()))`, { x: Array.from(x.subarray(0, 100)) });
  assert.ok(relErr(short.data, wantShort) < 1e-9);
});

test('powerSpectrogramAt(x, starts, nFft) takes frames at any starts, zeros past the end (numpy)', { skip }, () => {
  const x = signal(3000, 8000);
  const starts = [0, 5, 1234, 2900];
  const s = powerSpectrogramAt(x, starts, 128);
  assert.deepEqual([s.frames, s.bins], [4, 65]);
  const want = numpy<number[]>(`x = np.concatenate([np.array(d['x']), np.zeros(128)]); w = ss.windows.hann(128, sym=False)
print(json.dumps(np.array([np.abs(np.fft.rfft(x[a:a+128] * w))**2 for a in d['starts']]).ravel().tolist()))`, { x: Array.from(x), starts });
  assert.ok(relErr(s.data, want) < 1e-9);
  assert.deepEqual(Array.from(powerSpectrogram(x, 128, 50).data.subarray(0, 65 * 2)), Array.from(powerSpectrogramAt(x, [0, 50], 128).data));
});

test('bandSpectrogram(x, rate) sums the STFT power into 24 log bands from 50 Hz to 10 kHz, with the DC-free total and centroid (numpy)', { skip }, () => {
  const sr = 22050;
  const x = signal(sr, sr);
  const b = bandSpectrogram(x, sr);
  assert.deepEqual([b.frames, b.bands, b.frameRate], [83, 24, sr / 256]);
  const want = numpy<{ power: number[]; total: number[]; centroid: number[]; edges: number[] }>(`x = np.array(d['x']); sr = d['sr']; w = ss.windows.hann(1024, sym=False)
P = np.array([np.abs(np.fft.rfft(x[t*256:t*256+1024] * w))**2 for t in range(83)])
f = np.arange(513) * sr / 1024
edges = 50 * (10000 / 50) ** (np.arange(25) / 24)
band = np.array([[((f >= edges[k]) & (f < edges[k+1]))[1:] @ P[t, 1:] for k in range(24)] for t in range(83)])
total = P[:, 1:].sum(1)
print(json.dumps({'power': band.ravel().tolist(), 'total': total.tolist(), 'centroid': (P[:, 1:] @ f[1:] / total).tolist(), 'edges': edges.tolist()}))`, { x: Array.from(x), sr });
  assert.ok(relErr(b.edges, want.edges) < 1e-14);
  assert.ok(relErr(b.power, want.power) < 1e-9, `power ${relErr(b.power, want.power)}`);
  assert.ok(relErr(b.total, want.total) < 1e-9);
  assert.ok(relErr(b.centroid, want.centroid) < 1e-9);
  // the 440 Hz tone sits in the band whose edges hold it
  const k440 = Array.from(b.edges).findIndex((e, k) => e <= 440 && b.edges[k + 1]! > 440);
  let loudest = 0;
  for (let k = 0; k < 24; k++) if (b.power[40 * 24 + k]! > b.power[40 * 24 + loudest]!) loudest = k;
  assert.equal(loudest, k440);
});
