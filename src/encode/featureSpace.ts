import { fail } from '../errors.ts';

/**
 * A feature space for encoding: one vector per analysis window of each clip.
 *
 * - `data`: Float32Array, row-major `clips × windows × dim` (clip `c`, window `w`, column `k` at
 *   `(c * nWindows + w) * dim + k`), in the order of `clipIds`.
 * - `windowStarts`: start of each window in seconds from the clip onset (length `nWindows`).
 * - `windowSec`: window length in seconds; `0` means "the whole clip" (e.g. a genre one-hot).
 */
export interface FeatureSpace {
  name: string;
  clipIds: string[];
  data: Float32Array;
  nWindows: number;
  dim: number;
  windowStarts: number[];
  windowSec: number;
}

/**
 * Checks the shapes of a feature space and returns it; throws BAD_INPUT naming `space.name`.
 * Also rejects duplicate clip ids and non-finite values (a NaN feature would poison every voxel).
 */
export function checkFeatureSpace(space: FeatureSpace): FeatureSpace {
  const { name, clipIds, data, nWindows, dim, windowStarts } = space;
  if (!Number.isInteger(nWindows) || nWindows < 1 || !Number.isInteger(dim) || dim < 1) {
    fail('BAD_INPUT', `feature space '${name}': nWindows (${nWindows}) and dim (${dim}) must be positive integers.`);
  }
  if (data.length !== clipIds.length * nWindows * dim) {
    fail('BAD_INPUT', `feature space '${name}': data has ${data.length} values, expected clips × windows × dim = ${clipIds.length} × ${nWindows} × ${dim}.`);
  }
  if (windowStarts.length !== nWindows) {
    fail('BAD_INPUT', `feature space '${name}': ${windowStarts.length} window starts for ${nWindows} windows; the .json's windowStarts must list one start per window.`);
  }
  if (new Set(clipIds).size !== clipIds.length) fail('BAD_INPUT', `feature space '${name}': clip ids are not unique.`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const c = Math.floor(i / (nWindows * dim));
      fail('BAD_INPUT', `feature space '${name}': non-finite value ${data[i]} in clip '${clipIds[c]}'; recompute the embeddings.`);
    }
  }
  return space;
}
