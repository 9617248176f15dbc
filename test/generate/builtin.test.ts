import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrangementFromParameters, createBuiltinGenerator, decodeParameters, fitParameterDecoder, generateClips, likeliestGenre,
} from '../../src/generate/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { mapConcurrent } from '../../src/workerPool.ts';
import { GENRES, sampleArrangement, type Arrangement } from '../../src/music/index.ts';

const DIM = 24;
/** A fixed random linear map of an arrangement's genre, tempo, mode and density, plus noise: a stand-in embedding whose information content is known. */
function embed(arrangements: Arrangement[], seed: number, noiseSd = 0.05): Float32Array {
  const mix = createRng(1234);
  const W = Array.from({ length: 13 * DIM }, () => mix.normal());
  const noise = createRng(seed);
  const out = new Float32Array(arrangements.length * DIM);
  arrangements.forEach((a, i) => {
    const f = new Float64Array(13);
    f[GENRES.indexOf(a.genre)] = 1;
    f[10] = Math.log2(a.tempo) - 7;
    f[11] = a.mode === 'minor' ? 1 : 0;
    f[12] = a.density;
    for (let d = 0; d < DIM; d++) {
      let s = 0;
      for (let k = 0; k < 13; k++) s += f[k]! * W[k * DIM + d]!;
      out[i * DIM + d] = s + noiseSd * noise.normal();
    }
  });
  return out;
}

function library(n: number, seed: number): Arrangement[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => sampleArrangement(GENRES[i % GENRES.length]!, rng, { durationSec: 2 }));
}

test('fitParameterDecoder(library) decodes genre, tempo and mode of held-out clips', async () => {
  const train = library(200, 1);
  const heldOut = library(50, 2);
  const decoder = await fitParameterDecoder(embed(train, 3), DIM, train);
  const decoded = await decodeParameters(decoder, embed(heldOut, 4), heldOut.length);
  const genreHits = decoded.filter((p, i) => likeliestGenre(p) === heldOut[i]!.genre).length;
  const modeHits = decoded.filter((p, i) => (p.minorProbability >= 0.5) === (heldOut[i]!.mode === 'minor')).length;
  const tempoErr = decoded.map((p, i) => Math.abs(Math.log2(p.tempo / heldOut[i]!.tempo)));
  assert.ok(genreHits >= 45, `genre decoded for ${genreHits}/50 (chance 5)`);
  assert.ok(modeHits >= 45, `mode decoded for ${modeHits}/50`);
  assert.ok(Math.max(...tempoErr) < 0.1, `tempo within 7% (worst ${Math.max(...tempoErr).toFixed(3)} octaves)`);
  for (const p of decoded) assert.ok(Math.abs(p.genreProbs.reduce((s, x) => s + x, 0) - 1) < 1e-9);
});

test('fitParameterDecoder(library) gives calibrated genre probabilities: on held-out clips the top probability averages the accuracy', async () => {
  // noise large enough that genres get confused
  const train = library(300, 1);
  const heldOut = library(200, 2);
  const decoder = await fitParameterDecoder(embed(train, 3, 2), DIM, train);
  const decoded = await decodeParameters(decoder, embed(heldOut, 4, 2), heldOut.length);
  const accuracy = decoded.filter((p, i) => likeliestGenre(p) === heldOut[i]!.genre).length / heldOut.length;
  const meanTop = decoded.reduce((s, p) => s + Math.max(...p.genreProbs), 0) / decoded.length;
  assert.ok(accuracy >= 0.7 && accuracy <= 0.85, `held-out genre accuracy ${accuracy} (chance 0.1)`);
  assert.ok(Math.abs(meanTop - accuracy) < 0.08, `mean top probability ${meanTop.toFixed(3)} vs accuracy ${accuracy}`);
  assert.ok(decoder.genreScale > 5, `softmax scale ${decoder.genreScale}`);
});

test('arrangementFromParameters(p, rng, 0) follows the decoded parameters; temperature > 0 varies', async () => {
  const train = library(200, 1);
  const decoder = await fitParameterDecoder(embed(train, 3), DIM, train);
  const target = sampleArrangement('metal', createRng(99), { durationSec: 2 });
  const [p] = await decodeParameters(decoder, embed([target], 5), 1);
  const a = arrangementFromParameters(p!, createRng(1), 0, 2);
  assert.equal(a.genre, 'metal');
  assert.equal(a.mode, target.mode);
  assert.ok(Math.abs(Math.log2(a.tempo / target.tempo)) < 0.1);
  const b = arrangementFromParameters(p!, createRng(1), 0, 2);
  assert.deepEqual(a, b, 'same seed, same arrangement');
  const hot = new Set(Array.from({ length: 8 }, (_, s) => JSON.stringify(arrangementFromParameters(p!, createRng(s), 1.5, 2))));
  assert.equal(hot.size, 8, 'different seeds give different arrangements');
});

test('createBuiltinGenerator(decoder).generate renders new, seeded music of the requested length', async () => {
  const train = library(120, 1);
  const decoder = await fitParameterDecoder(embed(train, 3), DIM, train);
  const gen = createBuiltinGenerator({ decoder });
  const e = embed([sampleArrangement('reggae', createRng(7), { durationSec: 5 })], 6);
  const clips = await gen.generate(e, { samples: 2, seed: 11, temperature: 0.5, durationSec: 5 });
  assert.equal(clips.length, 2);
  for (const c of clips) {
    assert.equal(c.sampleRate, 22050);
    assert.equal(c.samples.length, 5 * 22050);
    const rms = Math.sqrt(c.samples.reduce((s, x) => s + x * x, 0) / c.samples.length);
    assert.ok(rms > 0.01, `audible (rms ${rms})`);
    assert.equal((c.conditioning.arrangement as Arrangement).genre, 'reggae');
  }
  assert.notDeepEqual(clips[0]!.samples, clips[1]!.samples);
  const [again] = await gen.generate(e, { samples: 1, seed: 11, temperature: 0.5, durationSec: 5 });
  assert.deepEqual(again!.samples, clips[0]!.samples);
});

test('createBuiltinGenerator renders the same samples on worker threads as in this thread, and generateClips keeps clip order at any concurrency', async () => {
  const train = library(60, 5);
  const decoder = await fitParameterDecoder(embed(train, 6), DIM, train);
  const local = createBuiltinGenerator({ decoder, threads: 1 });
  const pooled = createBuiltinGenerator({ decoder, threads: 2 });
  assert.equal(local.concurrency, 1);
  assert.equal(pooled.concurrency, 2);
  const queries = embed(['rock', 'jazz', 'disco'].map((g, i) => sampleArrangement(g as Arrangement['genre'], createRng(20 + i), { durationSec: 5 })), 9);
  const opts = { samples: 2, seed: 4, temperature: 0.7, durationSec: 5 };
  try {
    const a = await generateClips(local, queries, ['c0', 'c1', 'c2'], 1, DIM, opts);
    const b = await generateClips(pooled, queries, ['c0', 'c1', 'c2'], 1, DIM, opts);
    assert.deepEqual(b.map((g) => g.clipId), ['c0', 'c1', 'c2']);
    for (const [i, g] of b.entries()) {
      assert.equal(g.clips.length, 2);
      for (const [k, clip] of g.clips.entries()) {
        assert.deepEqual(clip.conditioning, a[i]!.clips[k]!.conditioning);
        assert.ok(clip.samples.length === 5 * 22050 && clip.samples.every((x, t) => x === a[i]!.clips[k]!.samples[t]), `clip ${i} sample ${k}: bit-identical to the in-thread render`);
      }
    }
  } finally {
    await pooled.dispose?.();
  }
});

test('mapConcurrent(items, limit, fn) keeps item order and never has more than limit calls outstanding', async () => {
  let outstanding = 0;
  let most = 0;
  const out = await mapConcurrent([5, 1, 4, 2, 3], 2, async (x) => {
    most = Math.max(most, ++outstanding);
    await new Promise((r) => setTimeout(r, x * 3));
    outstanding--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(most, 2);
});

test('createBuiltinGenerator(decoder).generate with nearby seeds draws unrelated samples, not the same ones reordered', async () => {
  const train = library(60, 2);
  const gen = createBuiltinGenerator({ decoder: await fitParameterDecoder(embed(train, 4), DIM, train) });
  const e = embed([sampleArrangement('jazz', createRng(9), { durationSec: 5 })], 8);
  const keys = new Map<string, number>();
  for (const seed of [0, 1, 2, 3]) {
    for (const c of await gen.generate(e, { samples: 4, seed, temperature: 1, durationSec: 5 })) {
      const key = JSON.stringify(c.conditioning.arrangement);
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
  }
  // 4 seeds × 4 samples: 16 different arrangements (before, seeds 0-3 shared the same 4)
  assert.equal(keys.size, 16, `${keys.size} distinct arrangements of 16`);
});
