import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identificationAccuracy } from '../../src/evaluate/index.ts';
import { generateClips, tuneGeneration, withEmbeddingGuidance, type GeneratedClip, type Generator } from '../../src/generate/index.ts';
import { normalStream } from '../decode/synthetic.ts';

const n = 12, dim = 6;
const g = normalStream(5);
const truth = Float32Array.from({ length: n * dim }, () => g());
const decoded = truth.map((x) => x + 0.3 * g());

/**
 * A generator whose draw is the conditioning embedding plus noise that is smallest at temperature
 * 0.5 (sd 0.3 + 3·|t − 0.5|), seeded by seed and sample: the best setting is known.
 */
function noisyGenerator(): Generator {
  return {
    name: 'noisy',
    async generate(e, o) {
      return Array.from({ length: o.samples }, (_, k): GeneratedClip => {
        const r = normalStream(o.seed * 31 + k);
        const sd = 0.3 + 3 * Math.abs(o.temperature - 0.5);
        return { samples: e.map((x) => x + sd * r()), sampleRate: 1, conditioning: { sample: k } };
      });
    },
  };
}
const embed = async (c: GeneratedClip) => c.samples;

test('tuneGeneration scores every temperature × guidance on the tuning clips and chooses the known best temperature', async () => {
  const out = await tuneGeneration({
    generator: noisyGenerator(), embed, features: (c) => c.samples, clipIds: Array.from({ length: n }, (_, i) => `c${i}`),
    decoded, truth, truthFeatures: truth, dim, temperatures: [0, 0.5, 1.5], guidance: [1, 4], seed: 3, durationSec: 1,
  });
  assert.equal(out.criterion, 'features');
  assert.equal(out.scores.length, 6);
  assert.equal(out.chosen.temperature, 0.5);
  for (const s of out.scores) assert.ok(s.identification >= 0 && s.identification <= 1);
  const at = (t: number, k: number) => out.scores.find((s) => s.temperature === t && s.guidance === k)!;
  assert.ok(at(0.5, 1).identification > at(1.5, 1).identification, 'more noise, worse identification');
});

test('tuneGeneration: guidance K keeps the draw withEmbeddingGuidance keeps (same seeds as generateClips)', async () => {
  const out = await tuneGeneration({ generator: noisyGenerator(), embed, clipIds: ['a', 'b', 'c'], decoded: decoded.subarray(0, 3 * dim), truth: truth.subarray(0, 3 * dim), dim, temperatures: [1], guidance: [3], seed: 9, durationSec: 1 });
  const guided = withEmbeddingGuidance(noisyGenerator(), { candidates: 3, embed });
  const gens = await generateClips(guided, decoded.subarray(0, 3 * dim), ['a', 'b', 'c'], 1, dim, { samples: 1, seed: 9, temperature: 1, durationSec: 1 });
  const want = new Float32Array(3 * dim);
  gens.forEach((gc, c) => want.set(gc.clips[0]!.samples, c * dim));
  assert.equal(out.scores[0]!.identification, identificationAccuracy(want, truth.subarray(0, 3 * dim), 3, dim).mean);
  assert.equal(out.criterion, 'embedding', 'without a second space the embedding score chooses');
});

test('tuneGeneration: a tie goes to the earlier temperature and the smaller guidance (the cheaper setting)', async () => {
  const exact: Generator = { name: 'exact', generate: async (e, o) => Array.from({ length: o.samples }, () => ({ samples: Float32Array.from(e), sampleRate: 1, conditioning: {} })) };
  const out = await tuneGeneration({ generator: exact, embed, clipIds: ['a', 'b', 'c', 'd'], decoded: truth.subarray(0, 4 * dim), truth: truth.subarray(0, 4 * dim), dim, temperatures: [0.7, 0.2], guidance: [8, 2], seed: 0, durationSec: 1 });
  assert.deepEqual([out.chosen.temperature, out.chosen.guidance], [0.7, 2]);
  await assert.rejects(tuneGeneration({ generator: exact, embed, clipIds: ['a'], decoded: truth.subarray(0, dim), truth: truth.subarray(0, dim), dim, temperatures: [1], guidance: [1], seed: 0, durationSec: 1 }), /at least 2 clips/);
});
