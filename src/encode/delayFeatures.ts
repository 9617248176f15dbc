import { fail } from '../errors.ts';

/**
 * Finite-impulse-response design: stacks copies of a run's scan-rate features shifted by each delay
 * (in scans), so a linear model can learn the hemodynamic response shape per voxel.
 *
 * Row `s` of block `k` holds `features[s - delays[k]]`; rows whose source scan falls outside the run
 * are zero (runs are separate recordings, so nothing leaks across a run boundary). Within a run,
 * clips follow each other back to back, so the delayed rows at a clip's start carry the previous
 * clip's features, which is what the brain is still responding to.
 *
 * @param features Float32Array `nScans × dim`, row-major (one run)
 * @param delays integers (may be 0 or negative), e.g. `[1, 2, 3, 4]`
 * @returns Float32Array `nScans × (delays.length · dim)`, block `k` in columns `[k·dim, (k+1)·dim)`
 * @example delayFeatures(Float32Array.of(1, 2, 3), 3, 1, [1, 2]) // → [0, 0,  1, 0,  2, 1]
 */
export function delayFeatures(features: Float32Array, nScans: number, dim: number, delays: readonly number[]): Float32Array {
  if (features.length !== nScans * dim) fail('BAD_INPUT', `delayFeatures: ${features.length} values is not nScans × dim = ${nScans} × ${dim}.`);
  if (delays.length === 0 || delays.some((d) => !Number.isInteger(d))) fail('BAD_INPUT', `delayFeatures: delays must be a non-empty list of integers (scans), got [${delays.join(', ')}].`);
  const width = delays.length * dim;
  const out = new Float32Array(nScans * width);
  for (let s = 0; s < nScans; s++) {
    for (let k = 0; k < delays.length; k++) {
      const src = s - delays[k]!;
      if (src < 0 || src >= nScans) continue;
      out.set(features.subarray(src * dim, (src + 1) * dim), s * width + k * dim);
    }
  }
  return out;
}
