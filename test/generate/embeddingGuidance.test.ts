import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestCandidate, withEmbeddingGuidance, type GeneratedClip, type Generator } from '../../src/generate/index.ts';

test('closestCandidate(target, candidates) picks the highest cosine, whatever the norm', () => {
  const target = new Float32Array([1, 0, 0]);
  const candidates = new Float32Array([0, 1, 0, /* far but long */ 5, 4, 0, /* closest */ 0.9, 0.1, 0, -1, 0, 0]);
  const { index, cosines } = closestCandidate(target, candidates, 3);
  assert.equal(index, 2);
  assert.equal(cosines.length, 4);
  assert.ok(Math.abs(cosines[1]! - 5 / Math.sqrt(41)) < 1e-6);
  assert.ok(Math.abs(cosines[3]! + 1) < 1e-6);
  assert.ok(Number.isNaN(closestCandidate(target, new Float32Array([0, 0, 0, 0, 1, 0]), 3).cosines[0]!), 'a silent candidate has no cosine');
  assert.throws(() => closestCandidate(target, new Float32Array(5), 3), /not a positive number of 3-d embeddings/);
});

/** A fake generator: sample k of seed s is a clip whose "embedding" is the point at angle (s + k) radians. */
function fakeGenerator(calls: { samples: number; seed: number }[]): Generator {
  return {
    name: 'fake',
    async generate(_e, o) {
      calls.push({ samples: o.samples, seed: o.seed });
      return Array.from({ length: o.samples }, (_, k): GeneratedClip => ({
        samples: new Float32Array([Math.cos(o.seed + k), Math.sin(o.seed + k)]), sampleRate: 1, conditioning: { sample: k },
      }));
    },
  };
}

test('withEmbeddingGuidance(generator, { candidates: 4 }) keeps, per sample, the draw closest to the conditioning embedding', async () => {
  const calls: { samples: number; seed: number }[] = [];
  const guided = withEmbeddingGuidance(fakeGenerator(calls), { candidates: 4, embed: async (c) => c.samples });
  // target at angle 2.1 rad: draws at angles 0..3 (sample 0) and 4..7 (sample 1)
  const target = new Float32Array([Math.cos(2.1), Math.sin(2.1)]);
  const out = await guided.generate(target, { samples: 2, seed: 0, temperature: 0.3, durationSec: 1 });
  assert.deepEqual(calls, [{ samples: 8, seed: 0 }], 'one call of the inner generator, same seed');
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((c) => c.conditioning.sample), [2, 7], 'angles 2 and 7 (≡ 0.72, 1.38 from the target) are the closest of their groups');
  const g = out[0]!.conditioning.guidance as { candidates: number; chosen: number; cosines: number[] };
  assert.equal(g.candidates, 4);
  assert.equal(g.chosen, 2);
  assert.equal(g.cosines[2], Number(Math.cos(0.1).toFixed(4)));
  assert.equal(guided.name, 'fake');
});

test('withEmbeddingGuidance(generator, { candidates: 1 }) is the generator itself', () => {
  const g = fakeGenerator([]);
  assert.equal(withEmbeddingGuidance(g, { candidates: 1, embed: async (c) => c.samples }), g);
  assert.throws(() => withEmbeddingGuidance(g, { candidates: 0, embed: async (c) => c.samples }), /integer >= 1/);
});
