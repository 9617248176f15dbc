import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudio } from '../../src/io/index.ts';
import { createRng, deriveSeed } from '../../src/linalg/index.ts';
import { GENRES, TARGET_RMS, acousticFeatures, clipAudioSummary, genreSeparability, renderArrangement, renderClips, sampleArrangement } from '../../src/music/index.ts';

const SR = 22050;

test('renderArrangement(a) is deterministic, 22050 Hz mono with 2 s fades and the target RMS', async () => {
  const a = sampleArrangement('disco', createRng(2), { durationSec: 6 });
  const x = await renderArrangement(a);
  const y = await renderArrangement(a);
  assert.equal(x.length, 6 * SR);
  assert.deepEqual(Buffer.from(x.buffer), Buffer.from(y.buffer));
  let ss = 0;
  for (const v of x) ss += v * v;
  const rms = Math.sqrt(ss / x.length);
  assert.ok(Math.abs(rms - TARGET_RMS) < 1e-4 || Math.max(...x.map(Math.abs)) >= 0.989, `rms ${rms}`);
  // fades: the first and last 10 ms are nearly silent compared with the middle
  const seg = (from: number, n: number) => Math.sqrt(x.subarray(from, from + n).reduce((s, v) => s + v * v, 0) / n);
  assert.ok(seg(0, 220) < 0.1 * seg(3 * SR, SR));
  assert.ok(seg(x.length - 220, 220) < 0.1 * seg(3 * SR, SR));
});

test('acousticFeatures(x) gives one row per 1.5 s: loudness, brightness and onset rate of tones and clicks', () => {
  const n = 3 * SR;
  const tone = (amp: number, hz: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / SR));
  const quiet = acousticFeatures(tone(0.01, 200), SR);
  const loud = acousticFeatures(tone(0.5, 3000), SR);
  assert.equal(quiet.segments, 2);
  const F = quiet.names.length;
  assert.ok(Math.abs(loud.data[0] - quiet.data[0] - 20 * Math.log10(50)) < 1, 'loudness differs by 34 dB');
  assert.ok(Math.abs(quiet.data[1] - Math.log2(200)) < 0.2 && Math.abs(loud.data[1] - Math.log2(3000)) < 0.2, 'brightness = log2 centroid');
  assert.equal(loud.data[F + 4], 0, 'a steady tone has no onsets');
  // clicks: 8 short noise bursts per second → onset rate 8 per second
  const clicks = new Float32Array(n);
  const rng = createRng(1);
  for (let c = 0; c < 24; c++) for (let i = 0; i < 100; i++) clicks[Math.round((c + 0.5) * (SR / 8)) + i] = rng.next() - 0.5;
  const cf = acousticFeatures(clicks, SR);
  assert.ok(Math.abs(cf.data[4] - 8) <= 0.7 && Math.abs(cf.data[F + 4] - 8) <= 0.7, `onset rates ${cf.data[4]}, ${cf.data[F + 4]}`);
});

test('rendered clips of all 10 genres carry their genre (cross-validated linear classifier) and differ inside a genre', async () => {
  // 10 genres × 8 clips of 10 s, rendered on every core; the full-size figures (100 and 540
  // clips of 15 s) are printed by `npm run bench:simulate`.
  const perGenre = 8;
  const dir = mkdtempSync(join(tmpdir(), 'b2m-genres-'));
  const jobs = Array.from({ length: perGenre * GENRES.length }, (_, k) => {
    const i = Math.floor(k / GENRES.length);
    const g = GENRES[k % GENRES.length]!;
    return { path: join(dir, `${g}-${i}.wav`), arrangement: sampleArrangement(g, createRng(deriveSeed(77, i, k % GENRES.length)), { durationSec: 10 }) };
  });
  try {
    await renderClips(jobs, { sampleRate: SR, featureSegmentSec: 0 });
    const audio = await Promise.all(jobs.map(async (j) => (await readAudio(j.path)).samples));
    const feats = audio.map((x) => clipAudioSummary(x, SR));
    const labels = jobs.map((j) => j.arrangement.genre);
    const acc = genreSeparability(feats, labels, { alpha: 10, folds: perGenre });
    console.log(`genre accuracy on ${labels.length} clips, ${GENRES.length} genres: ${acc.toFixed(3)} (chance ${(1 / GENRES.length).toFixed(2)})`);
    // measured 0.438; 3× chance leaves room for synthesizer-level changes without hiding a generator that lost its genres
    assert.ok(acc >= 0.3, `accuracy ${acc}`);
    // within a genre no two clips are near-identical: waveform correlation and feature distance
    for (let i = 0; i < audio.length; i++) {
      for (let j = i + 1; j < audio.length; j++) {
        if (labels[i] !== labels[j]) continue;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        for (let k = 0; k < audio[i]!.length; k++) {
          sxy += audio[i]![k]! * audio[j]![k]!;
          sxx += audio[i]![k]! ** 2;
          syy += audio[j]![k]! ** 2;
        }
        assert.ok(Math.abs(sxy / Math.sqrt(sxx * syy)) < 0.5, `clips ${jobs[i]!.path} and ${jobs[j]!.path} correlate`);
        let d = 0;
        for (let k = 0; k < feats[i]!.length; k++) d += (feats[i]![k]! - feats[j]![k]!) ** 2;
        assert.ok(Math.sqrt(d) > 0.5, `clips ${jobs[i]!.path} and ${jobs[j]!.path} have near-identical features`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
