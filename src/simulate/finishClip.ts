/** The dataset's loudness convention: RMS of every stimulus clip after fades (about -26 dBFS). */
export const TARGET_RMS = 0.05;

/**
 * finishClip(samples, sampleRate, { fadeSec, targetRms }) → a new array with linear fade-in and
 * fade-out of `fadeSec` seconds (ds003720 clips have 2 s fades) scaled to RMS `targetRms`; if
 * that would push a peak above 0.99, the gain is lowered so the peak is 0.99 (no clipping in PCM16).
 * Silence stays silence.
 */
export function finishClip(samples: Float32Array, sampleRate: number, opts: { fadeSec?: number; targetRms?: number } = {}): Float32Array {
  const fadeN = Math.min(Math.floor(samples.length / 2), Math.round((opts.fadeSec ?? 2) * sampleRate));
  const out = new Float32Array(samples);
  for (let i = 0; i < fadeN; i++) {
    const g = i / fadeN;
    out[i] *= g;
    out[out.length - 1 - i] *= g;
  }
  let ss = 0;
  let peak = 0;
  for (let i = 0; i < out.length; i++) {
    ss += out[i] * out[i];
    const a = Math.abs(out[i]);
    if (a > peak) peak = a;
  }
  const rms = Math.sqrt(ss / Math.max(1, out.length));
  if (rms === 0) return out;
  let gain = (opts.targetRms ?? TARGET_RMS) / rms;
  if (peak * gain > 0.99) gain = 0.99 / peak;
  for (let i = 0; i < out.length; i++) out[i] *= gain;
  return out;
}
