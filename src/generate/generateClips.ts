import { fail } from '../errors.ts';
import { mapConcurrent } from '../workerPool.ts';
import { averageWindows } from '../evaluate/index.ts';
import type { GeneratedClip, GenerationOptions, Generator } from './generator.ts';
import { predictResponses, responseAgreement, type ResponsePredictor } from './responsePredictor.ts';

/** Re-ranking (Ciferri et al. 2025): draw `candidates`, keep those whose predicted brain response best matches the measured one. */
export interface RerankOptions {
  candidates: number;
  /** Embeds one candidate's audio into windows × dim (the same embedding model as the predictor's input). */
  embedWindows: (clip: GeneratedClip) => Promise<Float32Array>;
  predictor: ResponsePredictor;
  /** Measured responses of each clip: windows × |predictor.voxels|, in clip order. */
  measured: Float32Array[];
}

export interface ClipGeneration {
  clipId: string;
  /** The kept samples, best first when re-ranked. */
  clips: GeneratedClip[];
  /** Every sample drawn, in draw order (the kept ones when not re-ranked). */
  candidates: GeneratedClip[];
  /** Re-ranking score (response agreement r) of every candidate drawn, in draw order; empty without re-ranking. */
  candidateScores: number[];
}

/**
 * generateClips(predictions, …) → for every clip, music generated from the time-average of its
 * predicted windows (as Brain2Music conditions its generator), optionally re-ranked.
 * @param predictions clips × windows × dim decoded embeddings, row-major
 */
export async function generateClips(
  generator: Generator,
  predictions: Float32Array,
  clipIds: readonly string[],
  windows: number,
  dim: number,
  options: GenerationOptions,
  rerank?: RerankOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<ClipGeneration[]> {
  const n = clipIds.length;
  if (predictions.length !== n * windows * dim) fail('MISMATCH', `generateClips: predictions hold ${predictions.length} values, expected ${n} clips × ${windows} windows × ${dim}.`);
  if (rerank && rerank.measured.length !== n) fail('MISMATCH', `generateClips: ${rerank.measured.length} measured responses for ${n} clips.`);
  let done = 0;
  const generateOne = async (c: number): Promise<ClipGeneration> => {
    const mean = averageWindows(predictions.subarray(c * windows * dim, (c + 1) * windows * dim), 1, windows, dim);
    const seed = options.seed + 1000 * c;
    let result: ClipGeneration;
    if (!rerank) {
      const clips = await generator.generate(mean, { ...options, seed });
      result = { clipId: clipIds[c]!, clips, candidates: clips, candidateScores: [] };
    } else {
      const candidates = await generator.generate(mean, { ...options, seed, samples: Math.max(rerank.candidates, options.samples) });
      const scores: number[] = [];
      for (const cand of candidates) {
        const emb = await rerank.embedWindows(cand);
        const m = emb.length / rerank.predictor.dim;
        const predicted = await predictResponses(rerank.predictor, emb, m);
        scores.push(responseAgreement(predicted, rerank.measured[c]!));
      }
      const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
      result = { clipId: clipIds[c]!, clips: order.slice(0, options.samples).map((i) => candidates[i]!), candidates, candidateScores: scores };
    }
    onProgress?.(++done, n);
    return result;
  };
  // clips are independent (each has its own seed), so up to the generator's concurrency run at once; results keep clip order
  return mapConcurrent(Array.from({ length: n }, (_, c) => c), generator.concurrency ?? 1, generateOne);
}

