import { fail } from '../errors.ts';
import { identificationAccuracy } from '../evaluate/index.ts';
import { closestCandidate } from './embeddingGuidance.ts';
import type { GeneratedClip, Generator } from './generator.ts';

/** One generation setting tried by {@link tuneGeneration}. */
export interface GenerationSetting {
  temperature: number;
  /** Draws per sample, the closest to the conditioning embedding kept (1: none). */
  guidance: number;
}

/** A setting's scores on the tuning clips (identification among them, chance 0.5). */
export interface SettingScore extends GenerationSetting {
  /** In the conditioning embedding's space (guidance chose in this space, so it flatters guidance). */
  identification: number;
  /** In the second space (`features`), which guidance never saw; NaN without one. */
  identificationFeatures: number;
}

export interface TuneGenerationInput {
  /** The unguided generator (sample k of a call is the k-th draw, so K draws hold every smaller K's). */
  generator: Generator;
  /** Clip-level embedding of a generated clip, in the decoded embedding's space. */
  embed: (clip: GeneratedClip) => Promise<Float32Array>;
  /** A second description of a generated clip (e.g. the simulator's musical features of its arrangement), or none. */
  features?: (clip: GeneratedClip) => Float32Array;
  /** Tuning clips: never the clips a score is reported on (training clips decoded out of fold, or another simulation). */
  clipIds: readonly string[];
  /** clips × dim: the decoded embeddings generation is conditioned on. */
  decoded: Float32Array;
  /** clips × dim: the true embeddings of those clips. */
  truth: Float32Array;
  dim: number;
  /** clips × F: the second description of the clips heard (with `features`). */
  truthFeatures?: Float32Array;
  temperatures: readonly number[];
  guidance: readonly number[];
  /** Which score chooses: 'features' (default when given) or 'embedding'. */
  criterion?: 'features' | 'embedding';
  seed: number;
  durationSec: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * tuneGeneration(input) → the score of every temperature × guidance setting on the tuning clips
 * and the chosen one: the best by `criterion` (ties: the earlier temperature, then the smaller
 * guidance, i.e. the cheaper setting). For each temperature and clip it draws max(guidance)
 * samples once (clip c with seed `seed + 1000·c`, as `generateClips`); guidance K keeps the draw
 * closest to the decoded embedding among the first K, exactly what `withEmbeddingGuidance` keeps.
 * Nothing here sees a reported clip: the caller gives tuning clips only.
 */
export async function tuneGeneration(input: TuneGenerationInput): Promise<{ scores: SettingScore[]; chosen: SettingScore; criterion: 'features' | 'embedding' }> {
  const { clipIds, decoded, truth, dim, temperatures, guidance } = input;
  const n = clipIds.length;
  if (n < 2) fail('BAD_INPUT', `tuning generation needs at least 2 clips, got ${n}.`);
  if (decoded.length !== n * dim || truth.length !== n * dim) fail('MISMATCH', `tuneGeneration: expected ${n} × ${dim} decoded and true embeddings.`);
  if (temperatures.length === 0 || guidance.length === 0) fail('BAD_INPUT', 'tuneGeneration needs at least one temperature and one guidance value.');
  for (const k of guidance) if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `guidance values must be integers >= 1, got ${k}.`);
  const criterion = input.criterion ?? (input.features ? 'features' : 'embedding');
  if (criterion === 'features' && (!input.features || !input.truthFeatures)) fail('BAD_INPUT', "criterion 'features' needs features and truthFeatures.");
  const F = input.truthFeatures ? input.truthFeatures.length / n : 0;
  if (input.truthFeatures && !Number.isInteger(F)) fail('MISMATCH', `tuneGeneration: ${input.truthFeatures.length} true feature values are not ${n} rows.`);
  const maxK = Math.max(...guidance);
  const scores: SettingScore[] = [];
  let done = 0;
  for (const temperature of temperatures) {
    // per guidance value: the kept clip's embedding and features, clip by clip
    const kept = guidance.map(() => ({ emb: new Float32Array(n * dim), feat: new Float32Array(n * F) }));
    for (let c = 0; c < n; c++) {
      const target = decoded.subarray(c * dim, (c + 1) * dim);
      const draws = await input.generator.generate(target, { samples: maxK, seed: input.seed + 1000 * c, temperature, durationSec: input.durationSec });
      const embs = new Float32Array(maxK * dim);
      for (const [j, clip] of draws.entries()) embs.set(await input.embed(clip), j * dim);
      guidance.forEach((k, g) => {
        const j = k === 1 ? 0 : closestCandidate(target, embs.subarray(0, k * dim), dim).index;
        kept[g]!.emb.set(embs.subarray(j * dim, (j + 1) * dim), c * dim);
        if (input.features) kept[g]!.feat.set(input.features(draws[j]!), c * F);
      });
      input.onProgress?.(++done, temperatures.length * n);
    }
    guidance.forEach((k, g) => {
      scores.push({
        temperature,
        guidance: k,
        identification: identificationAccuracy(kept[g]!.emb, truth, n, dim).mean,
        identificationFeatures: input.truthFeatures ? identificationAccuracy(kept[g]!.feat, input.truthFeatures, n, F).mean : Number.NaN,
      });
    });
  }
  const value = (s: SettingScore) => (criterion === 'features' ? s.identificationFeatures : s.identification);
  const order = [...scores].sort((a, b) => value(b) - value(a) || temperatures.indexOf(a.temperature) - temperatures.indexOf(b.temperature) || a.guidance - b.guidance);
  return { scores, chosen: order[0]!, criterion };
}
