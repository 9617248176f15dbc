import { existsSync } from 'node:fs';
import { metaPathOf, readEmbeddings, type ClipWindows } from '../../embed/index.ts';
import { fail } from '../../errors.ts';

/** Reads `E.npy` and `E.json` (written by `brain2music embed`, or by the user) as a decoder's targets. */
export function readTargetEmbeddings(path: string): ClipWindows {
  if (!existsSync(path)) fail('NOT_FOUND', `embeddings file ${path} does not exist; run \`brain2music embed\` first or pass the .npy you computed (with its .json).`);
  const e = readEmbeddings(path);
  if (typeof e.windowSec !== 'number' || !(e.windowSec > 0)) fail('BAD_FILE', `${metaPathOf(path)} needs a positive windowSec (window length in seconds).`);
  return e;
}
