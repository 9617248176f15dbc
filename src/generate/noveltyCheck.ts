import type { TopK } from '../library/index.ts';
import { maxNormalisedCrossCorrelations } from './crossCorrelation.ts';

/** How close generated music comes to the library it was learned from. */
export interface Novelty {
  /** The library clips nearest to the generated audio's embedding, nearest first. */
  nearest: { id: string; cosine: number; maxCrossCorrelation: number }[];
  /** Largest embedding cosine to any library clip (the nearest one's). */
  maxCosine: number;
  /** Largest normalised waveform cross-correlation among the nearest clips (1 = a copy, up to gain and shift). */
  maxCrossCorrelation: number;
}

/**
 * noveltyCheck(audio, embedding, library, loadAudio) → is the generated clip a copy of a library
 * clip? Embedding cosine against the whole library, and the waveform cross-correlation (all lags)
 * against the `k` nearest clips; a copy, even shifted or rescaled, scores a cross-correlation
 * near 1, new music far below.
 * @param library the library's ids and its cosine search (e.g. a SearchableLibrary)
 * @param loadAudio the library clip's samples at the generated audio's sample rate
 */
export async function noveltyCheck(
  audio: Float32Array,
  embedding: Float32Array,
  library: { ids: readonly string[]; nearest(query: Float32Array, k: number): Promise<TopK> },
  loadAudio: (id: string) => Promise<Float32Array>,
  k = 3,
): Promise<Novelty> {
  const top = await library.nearest(embedding, Math.min(k, library.ids.length));
  const ids = [...top.indices].map((i) => library.ids[i]!);
  const clips: Float32Array[] = [];
  for (const id of ids) clips.push(await loadAudio(id));
  const correlations = maxNormalisedCrossCorrelations(audio, clips);
  const nearest: Novelty['nearest'] = ids.map((id, j) => ({ id, cosine: top.scores[j]!, maxCrossCorrelation: correlations[j]! }));
  return {
    nearest,
    maxCosine: nearest[0]?.cosine ?? 0,
    maxCrossCorrelation: Math.max(0, ...nearest.map((n) => n.maxCrossCorrelation)),
  };
}
