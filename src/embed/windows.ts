import { fail } from '../errors.ts';

/** Tolerance (seconds) when deciding whether a window still fits inside the clip. */
const FIT_EPS = 1e-9;

/**
 * Start times (seconds, within the clip) of the analysis windows of one clip, as in Brain2Music
 * (docs/method.md §1.2): windows of `windowSec` advance in `hopSec` steps and must lie entirely inside
 * the `clipSec` clip.
 *
 * @example windowStarts(15, 10) // → [0, 1.5, 3, 4.5]   (4 windows)
 * @example windowStarts(15, 5)  // → [0, 1.5, …, 9]     (7 windows)
 * @example windowStarts(15, 1.5)// → [0, 1.5, …, 13.5]  (10 windows)
 * @example windowStarts(15, 15) // → [0]                 (one window: the whole clip)
 */
export function windowStarts(clipSec = 15, windowSec = 10, hopSec = 1.5): number[] {
  for (const [name, v] of [['clipSec', clipSec], ['windowSec', windowSec], ['hopSec', hopSec]] as const) {
    if (!Number.isFinite(v) || v <= 0) fail('BAD_INPUT', `${name} must be a positive number of seconds, got ${v}.`);
  }
  if (windowSec > clipSec + FIT_EPS) {
    fail('BAD_INPUT', `window of ${windowSec} s does not fit in a clip of ${clipSec} s; use --window <= --clip.`);
  }
  const n = Math.floor((clipSec - windowSec) / hopSec + FIT_EPS) + 1;
  // Multiply instead of accumulating so that starts are exact decimal multiples (4.5, not 4.499999).
  return Array.from({ length: n }, (_, i) => Math.round(i * hopSec * 1e9) / 1e9);
}

/**
 * Cuts windows out of one clip's mono samples. Window `i` spans
 * `[round(starts[i]·sr), round(starts[i]·sr) + round(windowSec·sr))` samples, so every window has
 * exactly `round(windowSec·sampleRate)` samples (what CLAP's feature extractor must see).
 * A clip shorter than the last window's end is zero-padded (its length is checked by the caller
 * against `clipSec`; a small shortfall from resampling rounding is tolerated here).
 *
 * @param samples mono clip, `sampleRate` Hz
 * @returns one Float32Array per window (views are not shared: each is a copy)
 */
export function cutWindows(samples: Float32Array, sampleRate: number, starts: readonly number[], windowSec: number): Float32Array[] {
  const len = Math.round(windowSec * sampleRate);
  return starts.map((s) => {
    const a = Math.round(s * sampleRate);
    const w = new Float32Array(len);
    w.set(samples.subarray(Math.min(a, samples.length), Math.min(a + len, samples.length)));
    return w;
  });
}
