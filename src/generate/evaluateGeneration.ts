import { fail } from '../errors.ts';
import { agreementWithUncertainty, identificationWithUncertainty, type ScoreWithUncertainty } from '../evaluate/index.ts';

/** A score beside what a random guess gets, with its 95% interval over clips and p against chance. */
export type Scored = ScoreWithUncertainty;

export interface GenerationEvaluation {
  /** Identification accuracy of the generated audio's embeddings against the original stimuli's (clips; chance 0.5). */
  identification: Scored;
  /**
   * Fraction of clips whose generated audio gets the same genre label as the original. Chance:
   * Σ_g p_orig(g)·p_gen(g), the frequencies of the originals' labels times those of the generated
   * labels (the agreement of a random pairing), not Σ p_orig², which assumes the generator's
   * labels are spread like the originals'.
   */
  genreAgreement: Scored;
  perClip: { clipId: string; originalGenre: string; generatedGenre: string }[];
}

/**
 * evaluateGeneration(original, generated, …) scores generated music the way the paper scores
 * reconstructions: embed it, identify it among the originals, and compare genre labels given by
 * one classifier (fitted on the library) to the original and to the generated audio.
 * @param original clips × dim embeddings of the stimuli heard (clip-level)
 * @param generated clips × dim embeddings of the generated audio, same clip order
 * @param originalGenres the classifier's label of each original clip's embedding
 * @param generatedGenres the same classifier's label of each generated clip's embedding
 */
export function evaluateGeneration(
  clipIds: readonly string[], original: Float32Array, generated: Float32Array, dim: number,
  originalGenres: readonly string[], generatedGenres: readonly string[],
): GenerationEvaluation {
  const n = clipIds.length;
  if (original.length !== n * dim || generated.length !== n * dim) fail('MISMATCH', `evaluateGeneration: expected ${n} × ${dim} embeddings for original and generated audio.`);
  if (originalGenres.length !== n || generatedGenres.length !== n) fail('MISMATCH', `evaluateGeneration: expected ${n} genre labels for original and generated audio.`);
  const perClip = clipIds.map((clipId, i) => ({ clipId, originalGenre: originalGenres[i]!, generatedGenre: generatedGenres[i]! }));
  const opts = { unit: 'clips', split: 'test', seed: 0 } as const;
  return {
    identification: identificationWithUncertainty(generated, original, n, dim, opts),
    genreAgreement: agreementWithUncertainty(originalGenres, generatedGenres, opts),
    perClip,
  };
}
