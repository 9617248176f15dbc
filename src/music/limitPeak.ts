/** The dataset's loudness convention for rendered clips: RMS after fades (about -26 dBFS). */
export const TARGET_RMS = 0.05;

/**
 * limitPeak(x, peak) → `x` itself, scaled down in place when its largest magnitude exceeds
 * `peak` (default 0.99), so RMS-normalised clips never clip when stored as PCM16.
 */
export function limitPeak(x: Float32Array, peak = 0.99): Float32Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > m) m = a;
  }
  if (m > peak) {
    const g = peak / m;
    for (let i = 0; i < x.length; i++) x[i] *= g;
  }
  return x;
}
