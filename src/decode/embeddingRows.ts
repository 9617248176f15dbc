import { fail } from '../errors.ts';

/** Embeddings of a set of clips, as stored in `RUN/embeddings/<model>.npy|.json`. */
export interface EmbeddingSet {
  /** `clips × windows × dim` float32 row-major. */
  data: Float32Array;
  clipIds: readonly string[];
  nWindows: number;
  dim: number;
  /** Window onsets in seconds from the clip onset (length nWindows). */
  windowStarts: readonly number[];
  /** Window length in seconds. */
  windowSec: number;
  /** Embedding model name, for the record. */
  model?: string;
}

/**
 * The embeddings of `clipIds`, in that order: `clipIds.length × nWindows × dim` float32.
 * Fails naming the first clip that has no embedding.
 */
export function embeddingRows(emb: EmbeddingSet, clipIds: readonly string[]): Float32Array {
  const per = emb.nWindows * emb.dim;
  if (emb.data.length !== emb.clipIds.length * per) {
    fail('MISMATCH', `embeddings hold ${emb.data.length} values, expected ${emb.clipIds.length} clips × ${emb.nWindows} windows × ${emb.dim} dims; the .npy and its .json disagree.`);
  }
  const index = new Map(emb.clipIds.map((id, i) => [id, i]));
  const out = new Float32Array(clipIds.length * per);
  clipIds.forEach((id, c) => {
    const i = index.get(id);
    if (i === undefined) fail('MISMATCH', `clip ${id} of the fMRI data has no embedding (the embeddings list ${emb.clipIds.length} clips); embed the stimuli of this dataset first.`);
    out.set(emb.data.subarray(i * per, (i + 1) * per), c * per);
  });
  return out;
}
