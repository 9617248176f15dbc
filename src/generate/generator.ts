import { GENERATE_DEFAULTS } from '../defaults.ts';

/**
 * A music generator: turns a decoded music embedding (the time-average of one clip's predicted
 * windows, as Brain2Music conditions MusicLM) into new audio.
 */
export interface GenerationOptions {
  /** How many different samples to draw for this embedding. */
  samples: number;
  /** Seed of the first sample; sample k uses `seed + k`, so results are reproducible. */
  seed: number;
  /** Sampling temperature: 0 picks the most likely music, larger values explore more. */
  temperature: number;
  /** Length of each generated clip in seconds. */
  durationSec: number;
}

export interface GeneratedClip {
  /** Mono audio in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  /** What the generator was conditioned on (musical parameters, or the text prompt), saved beside the audio. */
  conditioning: Record<string, unknown>;
}

export interface Generator {
  readonly name: string;
  /** `embedding`: one clip's decoded embedding, length = the embedding model's dimension. */
  generate(embedding: Float32Array, options: GenerationOptions): Promise<GeneratedClip[]>;
  /** How many `generate` calls may run at once and gain from it (absent: 1, one after another). */
  readonly concurrency?: number;
  /** Releases what the generator holds (worker threads, model sessions). */
  dispose?(): Promise<void>;
}

export const DEFAULT_GENERATION: GenerationOptions = { samples: GENERATE_DEFAULTS.samples, seed: 0, temperature: GENERATE_DEFAULTS.temperature, durationSec: GENERATE_DEFAULTS.durationSec };
