import type { Arrangement } from './arrangement.ts';
import { arrangementToScore } from './arrangementToScore.ts';
import { cutExcerpt } from '../dsp/index.ts';
import { limitPeak, TARGET_RMS } from './limitPeak.ts';
import { renderScore } from './synth.ts';

/** The dataset's audio rate. */
export const SAMPLE_RATE = 22050;

export interface RenderOptions {
  /** Output rate in Hz (default 22050). */
  sampleRate?: number;
  /** Fade in/out length in seconds (default 2, as in the dataset). */
  fadeSec?: number;
  /** RMS after fades (default `TARGET_RMS`). */
  targetRms?: number;
  /** A .sf2/.sf3 file instead of FluidR3Mono. */
  soundFont?: string;
}

/**
 * renderArrangement(a, opts) → mono float32 audio of `a.durationSec` seconds at 22050 Hz:
 * score → General MIDI synthesis (spessasynth_core, FluidR3Mono) → 2 s linear fades and RMS
 * normalisation (dsp's `cutExcerpt`, the dataset's convention) → peak limit at 0.99 (rare; then RMS is lower).
 * Deterministic: the same arrangement gives the same samples.
 * @example const x = await renderArrangement(sampleArrangement('jazz', createRng(1))); // x.length === 330750
 */
export async function renderArrangement(a: Arrangement, opts: RenderOptions = {}): Promise<Float32Array> {
  const sampleRate = opts.sampleRate ?? SAMPLE_RATE;
  const raw = await renderScore(arrangementToScore(a), { sampleRate, soundFont: opts.soundFont });
  return limitPeak(cutExcerpt(raw, sampleRate, 0, a.durationSec, { fadeSec: opts.fadeSec ?? 2, targetRms: opts.targetRms ?? TARGET_RMS }));
}
