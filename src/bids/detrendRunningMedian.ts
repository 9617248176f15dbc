import { fail } from '../errors.ts';

/** Scans in the dataset's detrending window: 240 s at the given TR, made odd (161 at TR 1.5). */
export function medianWindowScans(tr: number, seconds = 240): number {
  const n = Math.round(seconds / tr);
  return n % 2 === 0 ? n + 1 : n;
}

/**
 * Subtract a running median from every voxel's time course, in place: the detrending of
 * ds003720 (a 240 s median filter, see {@link medianWindowScans}). `data` is nScans × nVoxels
 * row-major. The window is centred; near the run's ends it is truncated to the scans that
 * exist (no zero padding, which would pull the median towards 0). Even-sized windows take
 * the mean of the two middle values.
 *
 * @example detrendRunningMedian(run, 410, V, 161)
 */
export function detrendRunningMedian(data: Float32Array, nScans: number, nVoxels: number, windowScans: number): void {
  if (data.length !== nScans * nVoxels) fail('INTERNAL', `detrendRunningMedian: data has ${data.length} values, expected ${nScans}×${nVoxels}.`);
  if (!Number.isInteger(windowScans) || windowScans < 1) fail('BAD_INPUT', `median filter window must be a positive integer of scans, got ${windowScans}.`);
  const half = Math.floor(windowScans / 2);
  const col = new Float64Array(nScans);
  const med = new Float64Array(nScans);
  const sorted = new Float64Array(2 * half + 2);
  let len = 0;
  // first index whose value is >= x (sorted[0..len) ascending)
  const lowerBound = (x: number): number => {
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const insert = (x: number) => {
    const i = lowerBound(x);
    sorted.copyWithin(i + 1, i, len);
    sorted[i] = x;
    len++;
  };
  const remove = (x: number) => {
    const i = lowerBound(x);
    sorted.copyWithin(i, i + 1, len);
    len--;
  };
  for (let v = 0; v < nVoxels; v++) {
    for (let t = 0; t < nScans; t++) col[t] = data[t * nVoxels + v];
    len = 0;
    for (let t = 0; t <= Math.min(half, nScans - 1); t++) insert(col[t]);
    for (let t = 0; t < nScans; t++) {
      med[t] = len % 2 === 1 ? sorted[len >> 1] : 0.5 * (sorted[(len >> 1) - 1] + sorted[len >> 1]);
      const add = t + 1 + half;
      if (add < nScans) insert(col[add]);
      const drop = t - half;
      if (drop >= 0) remove(col[drop]);
    }
    for (let t = 0; t < nScans; t++) data[t * nVoxels + v] = col[t] - med[t];
  }
}
