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
  const med = new Float64Array(nScans);
  const sorted = new Float64Array(nScans);
  const rank = new Int32Array(nScans);
  // Fenwick tree of counts over the voxel's sorted values: insert/remove/k-th in O(log n), so a
  // run costs O(n log n) per voxel instead of O(n · window) for a sliding sorted array.
  const tree = new Int32Array(nScans + 1);
  let top = 1;
  while (top * 2 <= nScans) top *= 2;
  const add = (r: number, d: number) => {
    for (let i = r + 1; i <= nScans; i += i & -i) tree[i] += d;
  };
  // 0-based position in `sorted` of the k-th smallest (k ≥ 1) value in the window
  const kth = (k: number): number => {
    let pos = 0;
    for (let step = top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= nScans && tree[next] < k) {
        pos = next;
        k -= tree[next];
      }
    }
    return pos;
  };
  // Voxels are processed in blocks copied to voxel-major order: reading one voxel's time
  // course straight from scans × voxels data strides across memory and dominates the time.
  const BLOCK = 256;
  const block = new Float64Array(BLOCK * nScans);
  for (let v0 = 0; v0 < nVoxels; v0 += BLOCK) {
    const nb = Math.min(BLOCK, nVoxels - v0);
    for (let t = 0; t < nScans; t++) {
      const o = t * nVoxels + v0;
      for (let b = 0; b < nb; b++) block[b * nScans + t] = data[o + b];
    }
    for (let b = 0; b < nb; b++) {
      const off = b * nScans;
      for (let t = 0; t < nScans; t++) sorted[t] = block[off + t];
      sorted.sort();
      for (let t = 0; t < nScans; t++) {
        // first position of this value (ties share a position; the tree counts multiplicity)
        const x = block[off + t];
        let lo = 0;
        let hi = nScans;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid] < x) lo = mid + 1;
          else hi = mid;
        }
        rank[t] = lo;
      }
      tree.fill(0);
      let len = 0;
      for (let t = 0; t <= Math.min(half, nScans - 1); t++, len++) add(rank[t], 1);
      for (let t = 0; t < nScans; t++) {
        med[t] = len % 2 === 1 ? sorted[kth((len + 1) >> 1)] : 0.5 * (sorted[kth(len >> 1)] + sorted[kth((len >> 1) + 1)]);
        const inc = t + 1 + half;
        if (inc < nScans) {
          add(rank[inc], 1);
          len++;
        }
        const drop = t - half;
        if (drop >= 0) {
          add(rank[drop], -1);
          len--;
        }
      }
      for (let t = 0; t < nScans; t++) block[off + t] -= med[t];
    }
    for (let t = 0; t < nScans; t++) {
      const o = t * nVoxels + v0;
      for (let b = 0; b < nb; b++) data[o + b] = block[b * nScans + t];
    }
  }
}
