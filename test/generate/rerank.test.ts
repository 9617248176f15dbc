import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateGeneration, fitResponsePredictor, generateClips, maxNormalisedCrossCorrelation, responseAgreement,
  type GeneratedClip, type Generator,
} from '../../src/generate/index.ts';
import { createRng } from '../../src/linalg/index.ts';

test('maxNormalisedCrossCorrelation(a, b) is 1 for a shifted, scaled copy and matches a brute-force search', () => {
  const rng = createRng(3);
  const a = Float32Array.from({ length: 300 }, () => rng.normal());
  const b = new Float32Array(400);
  for (let i = 0; i < 300; i++) b[i + 57] = -2 * a[i]!;
  assert.ok(Math.abs(maxNormalisedCrossCorrelation(a, b) - 1) < 1e-9);
  const c = Float32Array.from({ length: 200 }, () => rng.normal());
  let brute = 0;
  for (let lag = -299; lag < 200; lag++) {
    let s = 0;
    for (let t = 0; t < 300; t++) if (t + lag >= 0 && t + lag < 200) s += a[t]! * c[t + lag]!;
    brute = Math.max(brute, Math.abs(s));
  }
  const na = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  const nc = Math.sqrt(c.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(maxNormalisedCrossCorrelation(a, c) - brute / (na * nc)) < 1e-9);
  assert.ok(maxNormalisedCrossCorrelation(a, c) < 0.3, 'unrelated noise correlates weakly');
});

/** n windows of dim-d embeddings, V voxels of which the first `signal` follow X·W. */
function synth(n: number, dim: number, V: number, signal: number, seed: number) {
  const rng = createRng(seed);
  const W = Float64Array.from({ length: dim * signal }, () => rng.normal());
  const X = Float32Array.from({ length: n * dim }, () => rng.normal());
  const Y = new Float32Array(n * V);
  for (let i = 0; i < n; i++) for (let v = 0; v < V; v++) {
    let s = 0;
    if (v < signal) for (let d = 0; d < dim; d++) s += X[i * dim + d]! * W[d * signal + v]!;
    Y[i * V + v] = s + 1.5 * rng.normal();
  }
  return { X, Y };
}

test('fitResponsePredictor(X, Y) keeps the voxels the embedding drives (chosen on training windows)', async () => {
  const n = 240, dim = 6, V = 60, signal = 10;
  const { X, Y } = synth(n, dim, V, signal, 1);
  const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 4));
  const model = await fitResponsePredictor(X, Y, n, dim, V, groups, 10);
  assert.deepEqual(Array.from(model.voxels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('generateClips(…, rerank) keeps the candidate whose predicted response best matches the measured one', async () => {
  const dim = 4, V = 30, signal = 30;
  const { X, Y } = synth(200, dim, V, signal, 2);
  const model = await fitResponsePredictor(X, Y, 200, dim, V, Int32Array.from({ length: 200 }, (_, i) => i >> 2), 30);
  // a generator whose k-th candidate "sounds like" a known embedding (kept in the clip's conditioning)
  const rng = createRng(5);
  const candidateEmb = Array.from({ length: 6 }, () => Float32Array.from({ length: 2 * dim }, () => rng.normal()));
  const generator: Generator = {
    name: 'table',
    async generate(_e, o) {
      return Array.from({ length: o.samples }, (_, k): GeneratedClip => ({
        samples: new Float32Array(8), sampleRate: 8000, conditioning: { candidate: (o.seed + k) % 6 },
      }));
    },
  };
  // the measured response is what candidate 3 would evoke
  const { predictResponses } = await import('../../src/generate/index.ts');
  const measured = await predictResponses(model, candidateEmb[3]!, 2);
  const [result] = await generateClips(generator, new Float32Array(2 * dim), ['blues.00001'], 2, dim,
    { samples: 1, seed: 0, temperature: 1, durationSec: 1 },
    { candidates: 6, predictor: model, measured: [measured], embedWindows: async (c) => candidateEmb[c.conditioning.candidate as number]! });
  assert.equal(result!.candidateScores.length, 6);
  assert.equal(result!.clips[0]!.conditioning.candidate, 3);
  assert.ok(Math.abs(result!.candidateScores[3]! - 1) < 1e-6);
  assert.ok(Math.abs(responseAgreement(measured, measured) - 1) < 1e-9);
});

test('evaluateGeneration(…) counts identification (j≠i) and genre agreement with its chance Σ p_orig · p_gen', () => {
  const ids = ['a', 'b', 'c', 'd'];
  const original = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0]);
  const generated = new Float32Array([1, 0.1, 0, 0, 1, 0.1, 0.1, 0, 1, 0, 0, 1]); // d is off
  const label = (e: Float32Array) => (e[0]! >= e[1]! && e[0]! >= e[2]! ? 'x' : e[1]! >= e[2]! ? 'y' : 'z');
  const labels = (m: Float32Array) => ids.map((_, i) => label(m.subarray(3 * i, 3 * i + 3)));
  const ev = evaluateGeneration(ids, original, generated, 3, labels(original), labels(generated));
  assert.deepEqual(ev.perClip.map((p) => p.generatedGenre), ['x', 'y', 'z', 'z']);
  assert.equal(ev.genreAgreement.value, 0.75);
  // Σ p_orig · p_gen: originals x, y, z, x (½, ¼, ¼), generated x, y, z, z (¼, ¼, ½); Σ p_orig² would be 0.375
  assert.equal(ev.genreAgreement.chance, 0.5 * 0.25 + 0.25 * 0.25 + 0.25 * 0.5);
  assert.equal(ev.identification.chance, 0.5);
  assert.ok(ev.identification.value > 0.5 && ev.identification.value < 1);
});
