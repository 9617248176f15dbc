import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCaptions, createMusicgenGenerator, promptFromAttributes, type MusicAttributes } from '../../src/generate/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { TINY, writeTinyMusicgen } from './tinyMusicgen.ts';

const GENRES = ['blues', 'jazz', 'rock', 'metal'];
/** Attributes read off the first four embedding dimensions (a fixed, known mapping for the test). */
function describe(e: Float32Array): MusicAttributes {
  const scores = GENRES.map((name, i) => ({ name, p: Math.exp(e[i]!) }));
  const z = scores.reduce((s, g) => s + g.p, 0);
  const genres = scores.map((g) => ({ name: g.name, p: g.p / z })).sort((a, b) => b.p - a.p);
  return { genres, tempoBpm: 70 + 10 * e[4]!, minorProbability: e[5]! > 0 ? 0.8 : 0.2, instruments: ['piano', 'bass'], energy: 0.2 };
}

test('promptFromAttributes(a) names genre, tempo, key, instruments and mood', () => {
  const p = promptFromAttributes({
    genres: [{ name: 'rock', p: 0.6 }, { name: 'metal', p: 0.35 }, { name: 'pop', p: 0.05 }],
    tempoBpm: 140, minorProbability: 0.7, instruments: ['guitar', 'drums', 'bass', 'piano'], energy: 0.9,
  });
  assert.equal(p, 'energetic fast rock and metal track in a minor key with guitar, drums and bass');
  const q = promptFromAttributes({ genres: [{ name: 'blues', p: 0.9 }, { name: 'jazz', p: 0.1 }], tempoBpm: 70, minorProbability: 0.2, instruments: ['piano'], energy: 0.3 });
  assert.equal(q, 'calm slow blues track in a major key with piano');
});

test('createMusicgenGenerator(tiny folder) generates seeded audio of the requested length from the embedding prompt', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-musicgen-'));
  try {
    const dir = writeTinyMusicgen(join(root, 'tiny-musicgen'));
    const gen = await createMusicgenGenerator({ modelDir: dir, describe });
    const embedding = new Float32Array([0, 0, 3, 0, 1, 1, 0, 0]); // rock, minor
    const frames = 20; // tokens per codebook
    const durationSec = frames / (TINY.sampleRate / TINY.hop);
    const [a, b] = await gen.generate(embedding, { samples: 2, seed: 7, temperature: 1, durationSec });
    assert.ok(a && b);
    // the delay pattern removes codebooks - 1 steps: (frames - K + 1) codec frames of `hop` samples
    assert.equal(a.samples.length, (frames - TINY.codebooks + 1) * TINY.hop);
    assert.equal(a.sampleRate, TINY.sampleRate);
    assert.equal(a.conditioning.prompt, 'calm slow rock track in a minor key with piano and bass');
    assert.ok(a.samples.every((x) => Number.isFinite(x) && Math.abs(x) <= 1));
    assert.notDeepEqual(a.samples, b.samples, 'different seeds give different music');
    const [again] = await gen.generate(embedding, { samples: 1, seed: 7, temperature: 1, durationSec });
    assert.deepEqual(again!.samples, a.samples, 'the same seed gives the same music');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('createMusicgenGenerator({ prompt }) conditions on the caption the bank chose (retrieval-guided), not on the attribute prompt', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-musicgen-'));
  try {
    const dir = writeTinyMusicgen(join(root, 'tiny-musicgen'));
    const bank = { ids: ['blues.00001', 'rock.00002'], captions: ['a slow blues with guitar', 'loud rock with drums'], vectors: new Float32Array([1, 0, 0, 1]), dim: 2 };
    const gen = await createMusicgenGenerator({ modelDir: dir, describe, prompt: async (e) => chooseCaptions(bank, e.subarray(0, 2)) });
    const [a] = await gen.generate(new Float32Array([0.1, 2, 3, 0, 1, 1, 0, 0]), { samples: 1, seed: 7, temperature: 1, durationSec: 20 / (TINY.sampleRate / TINY.hop) });
    assert.equal(a!.conditioning.prompt, 'loud rock with drums');
    assert.deepEqual((a!.conditioning as { captions?: unknown }).captions, [{ id: 'rock.00002', caption: 'loud rock with drums', score: 2 / Math.hypot(Math.fround(0.1), 2) }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('createMusicgenGenerator(missing folder) fails with the list of expected files', async () => {
  await assert.rejects(
    createMusicgenGenerator({ modelDir: '/nonexistent/musicgen-small', describe }),
    (err: unknown) => err instanceof Brain2MusicError && err.code === 'NOT_FOUND' && /onnx\/decoder_model_merged\.onnx/.test(err.message),
  );
});
