import type { ClipWindows } from '../embed/index.ts';

/**
 * Which analysis windows of a clip describe scan `j` of that clip (up-sampling windows to the scan
 * rate, as Brain2Music does for its text and genre features): the windows whose time range
 * `[start, start + windowSec)` contains the scan's midpoint `(j + 0.5) · tr`. When none does (gaps
 * between windows, or `windowSec = 0` meaning "whole clip"), the last window starting at or before
 * the midpoint is used, else the first window.
 *
 * @returns window indices, ascending; the scan's features are their mean
 * @example scanWindows({ windowStarts: [0, 1.5, 3, 4.5], windowSec: 10 }, 0, 1.5) // → [0]
 * @example scanWindows({ windowStarts: [0, 1.5, 3, 4.5], windowSec: 10 }, 9, 1.5) // → [3] (midpoint 14.25 s)
 */
export function scanWindows(space: Pick<ClipWindows, 'windowStarts' | 'windowSec'>, j: number, tr: number): number[] {
  const mid = (j + 0.5) * tr;
  const { windowStarts, windowSec } = space;
  const covering: number[] = [];
  if (windowSec > 0) {
    windowStarts.forEach((s, w) => {
      if (s <= mid && mid < s + windowSec) covering.push(w);
    });
  }
  if (covering.length > 0) return covering;
  let best = 0;
  windowStarts.forEach((s, w) => {
    if (s <= mid && s >= windowStarts[best]!) best = w;
  });
  return [best];
}
