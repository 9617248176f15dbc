import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { auditoryFeatureNames, auditoryFeatures, createBuiltinEmbedder, fitProjection } from '../../src/embed/index.ts';
import { erb, erbFilterbank } from '../../src/embed/builtin/erbFilterbank.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { SYNTH_CLASSES, synthClip } from './synthClips.ts';

const SR = 22050;
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy']).status === 0;
const names = auditoryFeatureNames();
const feature = (f: Float64Array, name: string): number => {
  const i = names.indexOf(name);
  assert.ok(i >= 0, `no feature ${name}`);
  return f[i];
};
const signal = (sec: number, fn: (t: number) => number): Float32Array => Float32Array.from({ length: Math.round(sec * SR) }, (_, i) => fn(i / SR));

test('createBuiltinEmbedder() gives 128-d vectors at 22050 Hz, byte-identical for the same audio', async () => {
  const e = createBuiltinEmbedder();
  assert.deepEqual([e.name, e.dim, e.sampleRate], ['builtin', 128, 22050]);
  const a = synthClip(SYNTH_CLASSES[1], 5, 10);
  const b = synthClip(SYNTH_CLASSES[2], 6, 10);
  const v1 = await e.embed([a, b]);
  const v2 = await createBuiltinEmbedder().embed([Float32Array.from(a), b]);
  assert.equal(v1.length, 256);
  assert.deepEqual(Buffer.from(v1.buffer), Buffer.from(v2.buffer));
  assert.ok(v1.every(Number.isFinite));
  assert.notDeepEqual(Array.from(v1.subarray(0, 128)), Array.from(v1.subarray(128)));
  // 1.5 s and 5 s windows work too; windows under 0.5 s are refused.
  assert.equal((await e.embed([a.subarray(0, 1.5 * SR), a.subarray(0, 5 * SR)])).length, 256);
  await assert.rejects(e.embed([a.subarray(0, 1000)]), (err: unknown) => err instanceof Brain2MusicError && /at least 0\.5 s/.test(err.message));
});

test('auditoryFeatures(4 Hz amplitude-modulated 1 kHz tone) peaks in the 3-6 Hz modulation rate band', () => {
  const f = auditoryFeatures(signal(10, (t) => 0.3 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 1000 * t)));
  const rates = ['0.5-1.5', '1.5-3', '3-6', '6-12', '12-24', '24-44'];
  const mps = rates.map((r) => feature(f, `mps:rate${r}Hz:scale0-0`));
  assert.equal(mps.indexOf(Math.max(...mps)), 2, `MPS scale-0 energies ${mps.map((v) => v.toFixed(2))}`);
  const tmod = rates.map((r) => feature(f, `tmod:region1:rate${r}Hz`));
  assert.equal(tmod.indexOf(Math.max(...tmod)), 2);
  assert.ok(feature(f, 'mps:rate3-6Hz:scale0-0') > feature(f, 'mps:rate0.5-1.5Hz:scale0-0') + 3, 'by more than e^3');
});

test('auditoryFeatures(tone) puts the chroma on its pitch class; a noise 6.02 dB louder raises ceps0 by 6.02 dB × √64', () => {
  const a = auditoryFeatures(signal(5, (t) => 0.2 * Math.sin(2 * Math.PI * 440 * t)));
  const c = auditoryFeatures(signal(5, (t) => 0.2 * Math.sin(2 * Math.PI * 261.63 * t)));
  assert.ok(feature(a, 'chroma:A') > 0.6, `chroma A ${feature(a, 'chroma:A')}`);
  assert.ok(feature(c, 'chroma:C') > 0.6);
  // Broadband noise keeps every channel far above the −100 dB floor, so levels shift exactly.
  let s = 12345;
  const noise = Float32Array.from({ length: 5 * SR }, () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s / 2 ** 32 - 0.5) * 0.2; });
  const quiet = auditoryFeatures(noise);
  const loud = auditoryFeatures(noise.map((v) => v * 2));
  const d = feature(loud, 'ceps0:mean') - feature(quiet, 'ceps0:mean');
  assert.ok(Math.abs(d - 20 * Math.log10(2) * 8) < 0.05, `ceps0 difference ${d}`);
  assert.ok(Math.abs(feature(loud, 'ceps3:mean') - feature(quiet, 'ceps3:mean')) < 1e-3, 'higher cepstra are level-invariant');
});

test('auditoryFeatures(click train at 120 BPM) finds salient 0.5 s periodicity and none at 0.4 s', () => {
  const f = auditoryFeatures(signal(10, (t) => {
    const ph = t % 0.5;
    return ph < 0.01 ? 0.5 * Math.sin(2 * Math.PI * 3000 * t) * (1 - ph / 0.01) : 0;
  }));
  assert.ok(feature(f, 'tempo:101-127bpm') > 0.8, `salience ${feature(f, 'tempo:101-127bpm')}`);
  assert.ok(feature(f, 'tempo:127-160bpm') < 0.3, `salience ${feature(f, 'tempo:127-160bpm')}`);
  assert.ok(feature(f, 'tempo:pulseClarity') > 0.8);
  assert.ok(Math.abs(feature(f, 'onset:peakRate') - 2) < 0.25, `onsets per second ${feature(f, 'onset:peakRate')}`);
});

test('erbFilterbank(22050, 1024, 64, 50, 10000) spaces 64 gammatone-like channels on the ERB scale', () => {
  assert.ok(Math.abs(erb(1000) - 132.639) < 1e-3);
  const fb = erbFilterbank(22050, 1024, 64, 50, 10000);
  assert.ok(Math.abs(fb.centres[0] - 50) < 1e-9 && Math.abs(fb.centres[63] - 10000) < 1e-6);
  // Peak weight sits on the bin nearest the centre (here channel 40).
  const c = 40;
  const w = fb.weights.subarray(fb.offset[c], fb.offset[c + 1]);
  const peakBin = fb.start[c] + w.indexOf(Math.max(...w));
  assert.equal(peakBin, Math.round((fb.centres[c] * 1024) / 22050));
});

test('fitProjection(x) equals numpy: z-scored (ddof 1, clipped at ±8) covariance, leading eigenpairs by np.linalg.eigh, each axis signed by its largest loading', { skip: hasNumpy ? false : 'needs /usr/bin/python3 with numpy' }, () => {
  const n = 60;
  const p = 7;
  const x = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k * 0.37) * (1 + (k % p)) + Math.cos((k * k) % 13) + (k % p === 2 ? 0.5 * Math.sin(k * 0.11) : 0));
  const proj = fitProjection(x, n, p, 4);
  const script = `import json, sys, numpy as np
d = json.load(sys.stdin); x = np.array(d['x']).reshape(d['n'], d['p'])
z = np.clip((x - x.mean(0)) / x.std(0, ddof=1), -8, 8)
w, v = np.linalg.eigh(z.T @ z / (d['n'] - 1))
w, v = w[::-1][:4], v[:, ::-1][:, :4].T
v = v * np.where(np.abs(v).max(1, keepdims=True) == v.max(1, keepdims=True), 1, -1)
print(json.dumps({'values': w.tolist(), 'components': v.ravel().tolist()}))`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify({ x: Array.from(x), n, p }), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = JSON.parse(r.stdout) as { values: number[]; components: number[] };
  for (let d = 0; d < 4; d++) assert.ok(Math.abs(proj.explained[d] - want.values[d]) < 1e-9 * want.values[0], `eigenvalue ${d}`);
  for (let k = 0; k < 4 * p; k++) assert.ok(Math.abs(proj.components[k] - want.components[k]) < 1e-8, `component ${Math.floor(k / p)}, loading ${k % p}: ${proj.components[k]} vs ${want.components[k]}`);
});

test('fitProjection(x) finds the shared axis of two correlated features first', () => {
  const n = 200;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = Math.sin(i * 1.7) * 3;
    x[i * 3] = s + 0.1 * Math.cos(i * 2.3);
    x[i * 3 + 1] = 10 * s + 5 + Math.sin(i * 0.77);
    x[i * 3 + 2] = 4; // constant: std 1, contributes nothing
  }
  const p = fitProjection(x, n, 3, 2);
  assert.equal(p.std[2], 1);
  assert.ok(Math.abs(p.components[0] - Math.SQRT1_2) < 0.01 && Math.abs(p.components[1] - Math.SQRT1_2) < 0.01, `axis ${p.components.slice(0, 3)}`);
  assert.ok(Math.abs(p.components[2]) < 1e-9);
  assert.ok(p.explained[0] > 1.9 && p.explained[1] < 0.1);
});
