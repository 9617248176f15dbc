import { fail } from '../errors.ts';

/** A time window inside a clip, in seconds from the clip's onset: `[start, end)`. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** Scans `first … first+count−1` (0-based, relative to the clip's first lagged scan). */
export interface ScanRange {
  first: number;
  count: number;
}

/**
 * Which scans belong to a window. Scan k of a clip covers `[k·TR, (k+1)·TR)` (after the lag);
 * the window `[start, end)` takes every scan whose **start** `k·TR` lies in it:
 * `start ≤ k·TR < end` (with a 1e-9·TR tolerance for decimal seconds). At TR 1.5 a 10 s window
 * from 0 takes scans 0…6 (starts 0 … 9 s, seven scans), from 4.5 s scans 3…9; a 1.5 s window
 * takes one scan; the whole 15 s clip takes 10.
 *
 * Fails when the window holds no scan start or needs scans beyond `scansPerClip`.
 */
export function windowScanRange(window: TimeWindow, tr: number, scansPerClip: number): ScanRange {
  if (!(tr > 0)) fail('BAD_INPUT', `repetition time must be > 0 s, got ${tr}.`);
  const { start, end } = window;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end <= start) {
    fail('BAD_INPUT', `window [${start}, ${end}) s is not a valid time range within a clip; it needs 0 <= start < end.`);
  }
  const eps = 1e-9;
  const first = Math.max(0, Math.ceil(start / tr - eps)); // max: no -0 from ceil(-eps)
  const stop = Math.ceil(end / tr - eps);
  if (stop <= first) fail('BAD_INPUT', `window [${start}, ${end}) s contains no scan onset at TR ${tr} s (onsets at multiples of ${tr} s); use windows at least one TR long.`);
  if (stop > scansPerClip) {
    fail('BAD_INPUT', `window [${start}, ${end}) s needs scans up to ${stop - 1}, but only ${scansPerClip} scans (${scansPerClip * tr} s) are read per clip; shorten the window or raise scansPerClip.`);
  }
  return { first, count: stop - first };
}
