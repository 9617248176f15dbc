import { fail } from '../errors.ts';

/** A 2-D histogram as JSON-friendly bins: `counts[i][j]` counts points with x in bin i, y in bin j. */
export interface Histogram2d {
  xEdges: number[];
  yEdges: number[];
  counts: number[][];
}

/**
 * Counts points `(x[k], y[k])` into `bins × bins` equal bins over `[lo, hi]` on both axes (the
 * density plots of Brain2Music compare two spaces' r voxel by voxel). Values outside `[lo, hi]` are
 * clipped into the edge bins; NaN pairs and points with `mask[k] = 0` are skipped.
 * @example histogram2d([0.1], [0.9], { bins: 2, lo: 0, hi: 1 }).counts // → [[0, 1], [0, 0]]
 */
export function histogram2d(x: ArrayLike<number>, y: ArrayLike<number>, opts: { bins?: number; lo?: number; hi?: number; mask?: ArrayLike<number> } = {}): Histogram2d {
  const bins = opts.bins ?? 40;
  const lo = opts.lo ?? -0.2;
  const hi = opts.hi ?? 0.8;
  if (x.length !== y.length) fail('MISMATCH', `histogram2d: x has ${x.length} values, y ${y.length}.`);
  if (!Number.isInteger(bins) || bins < 1 || !(hi > lo)) fail('BAD_INPUT', `histogram2d: need bins ≥ 1 and hi > lo, got bins ${bins}, [${lo}, ${hi}].`);
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const counts = Array.from({ length: bins }, () => new Array<number>(bins).fill(0));
  const bin = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
  for (let k = 0; k < x.length; k++) {
    if (opts.mask && !opts.mask[k]) continue;
    const a = x[k]!, b = y[k]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    counts[bin(a)]![bin(b)]!++;
  }
  return { xEdges: edges, yEdges: edges, counts };
}
