import { fail } from '../errors.ts';
import { windowScanRange, type ScanRange, type TimeWindow } from './windowScanRange.ts';

/** Responses per clip and window: `data` is `clips × windows × V` row-major float32. */
export interface WindowResponses {
  nClips: number;
  nWindows: number;
  nVoxels: number;
  data: Float32Array;
  /** The scans averaged for each window (see {@link windowScanRange}). */
  windowScans: ScanRange[];
}

/**
 * Mean of each clip's scans within each time window (rule: {@link windowScanRange}).
 *
 * @param scans `clips × scansPerClip × V` as returned by `clipScans`
 * @param windows windows in seconds from the clip onset, e.g. `[{start:0,end:10}, {start:1.5,end:11.5}, …]`
 * @param tr repetition time in seconds
 */
export function windowResponses(
  scans: { data: Float32Array; scansPerClip: number; nVoxels: number },
  windows: readonly TimeWindow[],
  tr: number,
): WindowResponses {
  const { scansPerClip: S, nVoxels: V } = scans;
  if (windows.length === 0) fail('BAD_INPUT', 'windowResponses needs at least one window.');
  if (scans.data.length % (S * V) !== 0) fail('MISMATCH', `clip scans hold ${scans.data.length} values, not a multiple of ${S} scans × ${V} voxels.`);
  const nClips = scans.data.length / (S * V);
  const ranges = windows.map((w) => windowScanRange(w, tr, S));
  const W = windows.length;
  const data = new Float32Array(nClips * W * V);
  const acc = new Float64Array(V);
  for (let c = 0; c < nClips; c++) {
    for (let w = 0; w < W; w++) {
      const { first, count } = ranges[w];
      acc.fill(0);
      for (let s = first; s < first + count; s++) {
        const o = (c * S + s) * V;
        for (let v = 0; v < V; v++) acc[v] += scans.data[o + v];
      }
      const out = (c * W + w) * V;
      for (let v = 0; v < V; v++) data[out + v] = acc[v] / count;
    }
  }
  return { nClips, nWindows: W, nVoxels: V, data, windowScans: ranges };
}
