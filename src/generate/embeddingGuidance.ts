import { fail } from '../errors.ts';
import { cosineTopK } from '../library/index.ts';
import type { GeneratedClip, GenerationOptions, Generator } from './generator.ts';

/**
 * closestCandidate(target, candidates, dim) → the index of the candidate embedding with the
 * highest cosine to `target` (ties: the earlier one), and every candidate's cosine in order
 * (NaN for a silent candidate, whose embedding has no direction and is never chosen).
 * @param target dim values
 * @param candidates k × dim, row-major
 * @example closestCandidate([1, 0], [0, 1, 1, 0.1], 2).index // 1
 */
export function closestCandidate(target: Float32Array, candidates: Float32Array, dim: number): { index: number; cosines: number[] } {
  if (target.length !== dim) fail('MISMATCH', `closestCandidate: the target has ${target.length} values, expected ${dim}.`);
  const k = candidates.length / dim;
  if (!Number.isInteger(k) || k < 1) fail('MISMATCH', `closestCandidate: ${candidates.length} candidate values are not a positive number of ${dim}-d embeddings.`);
  const top = cosineTopK(candidates, target, dim, k);
  if (top.k === 0) fail('BAD_INPUT', 'closestCandidate: every candidate embedding is zero (silent audio); nothing to choose.');
  const cosines = new Array<number>(k).fill(Number.NaN);
  for (let j = 0; j < top.k; j++) cosines[top.indices[j]!] = top.scores[j]!;
  return { index: top.indices[0]!, cosines };
}

export interface GuidanceOptions {
  /** Draws per kept sample (1: no guidance). */
  candidates: number;
  /** Clip-level embedding of a drawn clip, in the space of the conditioning embedding. */
  embed: (clip: GeneratedClip) => Promise<Float32Array>;
}

/**
 * withEmbeddingGuidance(generator, { candidates, embed }) → a generator that, for each sample,
 * draws `candidates` clips and keeps the one whose embedding is closest (cosine) to the
 * embedding it is conditioned on: a self-check of the generator against its own conditioning,
 * which uses nothing but that embedding (no original audio, no brain data; re-ranking by the
 * encoding model is a separate step). Sample k keeps one of the inner generator's samples
 * k·candidates … (k+1)·candidates − 1 of the same seed, so one candidate is the unguided
 * generator. The conditioning record gains `guidance: { candidates, chosen, cosines }`.
 */
export function withEmbeddingGuidance(generator: Generator, opts: GuidanceOptions): Generator {
  const k = opts.candidates;
  if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `guidance candidates must be an integer >= 1, got ${k}.`);
  if (k === 1) return generator;
  return {
    name: generator.name,
    ...(generator.concurrency ? { concurrency: generator.concurrency } : {}),
    ...(generator.dispose ? { dispose: () => generator.dispose!() } : {}),
    async generate(embedding: Float32Array, o: GenerationOptions): Promise<GeneratedClip[]> {
      const drawn = await generator.generate(embedding, { ...o, samples: o.samples * k });
      const dim = embedding.length;
      const out: GeneratedClip[] = [];
      for (let s = 0; s < o.samples; s++) {
        const group = drawn.slice(s * k, (s + 1) * k);
        const embs = new Float32Array(k * dim);
        for (const [j, clip] of group.entries()) embs.set(await opts.embed(clip), j * dim);
        const { index, cosines } = closestCandidate(embedding, embs, dim);
        const kept = group[index]!;
        out.push({ ...kept, conditioning: { ...kept.conditioning, guidance: { candidates: k, chosen: index, cosines: cosines.map((c) => Number(c.toFixed(4))) } } });
      }
      return out;
    },
  };
}
