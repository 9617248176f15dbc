import { fail } from '../errors.ts';

export interface CutExcerptOptions {
  /** Linear fade-in and fade-out length, seconds (default 2, as the dataset's stimuli). */
  fadeSec?: number;
  /**
   * RMS of the returned excerpt, measured after fading (the dataset RMS-normalised its clips).
   * Omit to keep the original level. A silent excerpt is returned unscaled.
   */
  targetRms?: number;
}

/**
 * Cut `[start, end)` seconds out of a track, fade both ends linearly over `fadeSec`, and
 * optionally scale to `targetRms`. Samples past the track's end are zeros (GTZAN tracks are
 * sometimes a little shorter than 30 s). Length: round((end − start)·sampleRate).
 *
 * @example cutExcerpt(track, 22050, 7.5, 22.5, { fadeSec: 2, targetRms: 0.05 }) // 330750 samples
 */
export function cutExcerpt(samples: Float32Array, sampleRate: number, start: number, end: number, opts: CutExcerptOptions = {}): Float32Array {
  const fadeSec = opts.fadeSec ?? 2;
  if (!(start >= 0) || !(end > start)) fail('BAD_INPUT', `cutExcerpt: excerpt ${start}–${end} s must have 0 ≤ start < end.`);
  if (start * sampleRate >= samples.length) fail('BAD_INPUT', `cutExcerpt: excerpt starts at ${start} s but the track is only ${(samples.length / sampleRate).toFixed(2)} s long.`);
  if (!(fadeSec >= 0) || 2 * fadeSec > end - start) fail('BAD_INPUT', `cutExcerpt: fades of ${fadeSec} s do not fit in a ${end - start} s excerpt.`);
  const s0 = Math.round(start * sampleRate);
  const n = Math.round((end - start) * sampleRate);
  const out = new Float32Array(n);
  out.set(samples.subarray(s0, Math.min(samples.length, s0 + n)));
  const nf = Math.round(fadeSec * sampleRate);
  for (let i = 0; i < nf; i++) {
    const g = i / nf;
    out[i] *= g;
    out[n - 1 - i] *= g;
  }
  if (opts.targetRms !== undefined) {
    if (!(opts.targetRms > 0)) fail('BAD_INPUT', `cutExcerpt: targetRms must be positive, got ${opts.targetRms}.`);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += out[i] * out[i];
    const rms = Math.sqrt(ss / n);
    if (rms > 0) {
      const k = opts.targetRms / rms;
      for (let i = 0; i < n; i++) out[i] *= k;
    }
  }
  return out;
}
