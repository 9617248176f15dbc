import { existsSync } from 'node:fs';
import type { EmbeddingSet } from '../../decode/index.ts';
import { metaPathOf, readEmbeddings } from '../../embed/index.ts';
import { fail } from '../../errors.ts';

/** Reads `E.npy` and `E.json` (written by `brain2music embed`, or by the user) as a decoder target. */
export function readEmbeddingSet(path: string): EmbeddingSet {
  if (!existsSync(path)) fail('NOT_FOUND', `embeddings file ${path} does not exist; run \`brain2music embed\` first or pass the .npy you computed (with its .json).`);
  const { meta, data } = readEmbeddings(path);
  if (typeof meta.windowSec !== 'number' || !(meta.windowSec > 0)) fail('BAD_FILE', `${metaPathOf(path)} needs a positive windowSec (window length in seconds).`);
  return { data, clipIds: meta.clipIds, nWindows: meta.windowStarts.length, dim: meta.dim, windowStarts: meta.windowStarts, windowSec: meta.windowSec, model: meta.model };
}
