import { fail } from '../errors.ts';

/**
 * One vector per analysis window of each clip: the one type of an embeddings file, a decoder's
 * targets and an encoding feature space.
 *
 * - `data`: Float32Array, row-major `clips × windows × dim` (clip `c`, window `w`, column `k` at
 *   `(c * nWindows + w) * dim + k`), clips in the order of `clipIds`.
 * - `windowStarts`: start of each window in seconds from the clip onset (length `nWindows`).
 * - `windowSec`: window length in seconds; `0` means "the whole clip" (e.g. a genre one-hot).
 *
 * @example rowsFor(readEmbeddings('RUN/embeddings/builtin.npy'), ['jazz.00012']) // 1 × nWindows × dim
 */
export interface ClipWindows {
  /** What the vectors are: the model or feature space ('builtin', 'clap', 'genre', 'acoustic'); encoding names its maps after it. */
  name: string;
  /** Where they came from, for messages: the file read, or what made them (absent: built in memory). */
  source?: string;
  clipIds: readonly string[];
  nWindows: number;
  dim: number;
  windowStarts: readonly number[];
  windowSec: number;
  data: Float32Array;
}

/** `'builtin' (RUN/embeddings/builtin.npy)`: how messages name a set of vectors. */
export const clipWindowsLabel = (cw: Pick<ClipWindows, 'name' | 'source'>): string => (cw.source ? `'${cw.name}' (${cw.source})` : `'${cw.name}'`);

/**
 * Checks the shapes of `cw` and returns it; BAD_INPUT naming it. Also rejects duplicate clip ids
 * and non-finite values (a NaN feature would poison every voxel of an encoding model).
 */
export function checkClipWindows(cw: ClipWindows): ClipWindows {
  const { clipIds, data, nWindows, dim, windowStarts } = cw;
  const label = clipWindowsLabel(cw);
  if (!Number.isInteger(nWindows) || nWindows < 1 || !Number.isInteger(dim) || dim < 1) {
    fail('BAD_INPUT', `${label}: nWindows (${nWindows}) and dim (${dim}) must be positive integers.`);
  }
  if (data.length !== clipIds.length * nWindows * dim) {
    fail('BAD_INPUT', `${label}: data has ${data.length} values, expected clips × windows × dim = ${clipIds.length} × ${nWindows} × ${dim}.`);
  }
  if (windowStarts.length !== nWindows) {
    fail('BAD_INPUT', `${label}: ${windowStarts.length} window starts for ${nWindows} windows; the .json's windowStarts must list one start per window.`);
  }
  if (new Set(clipIds).size !== clipIds.length) fail('BAD_INPUT', `${label}: clip ids are not unique.`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const c = Math.floor(i / (nWindows * dim));
      fail('BAD_INPUT', `${label}: non-finite value ${data[i]} in clip '${clipIds[c]}'; recompute the embeddings.`);
    }
  }
  return cw;
}

/**
 * rowsFor(cw, ids, whose) → the vectors of clips `ids`, in that order: `ids.length × nWindows × dim`
 * float32 (a copy). Fails (MISMATCH) naming the set (its file) and the first clip it lacks;
 * `whose` says where the ids came from, for that message ("the training clips of sub-001").
 * @example rowsFor(emb, ['b.2', 'a.1']) // b.2's windows, then a.1's
 */
export function rowsFor(cw: ClipWindows, ids: readonly string[], whose?: string): Float32Array {
  const per = cw.nWindows * cw.dim;
  if (cw.data.length !== cw.clipIds.length * per) {
    fail('MISMATCH', `${clipWindowsLabel(cw)} holds ${cw.data.length} values, expected ${cw.clipIds.length} clips × ${cw.nWindows} windows × ${cw.dim} dims; the .npy and its .json disagree.`);
  }
  const index = new Map(cw.clipIds.map((id, i) => [id, i]));
  const out = new Float32Array(ids.length * per);
  ids.forEach((id, c) => {
    const i = index.get(id);
    if (i === undefined) {
      const some = cw.clipIds.slice(0, 2).join(', ');
      fail('MISMATCH', `${clipWindowsLabel(cw)} has no vectors for clip '${id}'${whose ? ` (${whose})` : ''}: it lists ${cw.clipIds.length} clips${some ? ` such as ${some}` : ''}. Embed every clip of this dataset with the same model, or pass the embeddings made for it.`);
    }
    out.set(cw.data.subarray(i * per, (i + 1) * per), c * per);
  });
  return out;
}
