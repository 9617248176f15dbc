import { fail } from '../errors.ts';

/**
 * Averages the windows of each clip: `clips × windows × dim` → `clips × dim` (float64 sums,
 * float32 out). Used to score on clips rather than windows (predictions and targets alike).
 *
 * @example averageWindows(new Float32Array([1,2, 3,4]), 1, 2, 2) // → Float32Array [2, 3]
 */
export function averageWindows(data: ArrayLike<number>, clips: number, windows: number, dim: number): Float32Array {
  if (data.length !== clips * windows * dim) {
    fail('MISMATCH', `averageWindows: ${data.length} values, expected clips × windows × dim = ${clips} × ${windows} × ${dim}.`);
  }
  if (windows < 1) fail('BAD_INPUT', `averageWindows needs at least one window per clip, got ${windows}.`);
  const out = new Float32Array(clips * dim);
  const acc = new Float64Array(dim);
  for (let c = 0; c < clips; c++) {
    acc.fill(0);
    for (let w = 0; w < windows; w++) {
      const o = (c * windows + w) * dim;
      for (let d = 0; d < dim; d++) acc[d] += data[o + d];
    }
    for (let d = 0; d < dim; d++) out[c * dim + d] = acc[d] / windows;
  }
  return out;
}
