import { fail } from '../errors.ts';
import { planClipScans } from './planClipScans.ts';
import type { AlignableResponses, AlignOptions, ClampRecord, Split } from './responses.ts';
import { windowScanRange, type ScanRange, type TimeWindow } from './windowScanRange.ts';

/** Window-aligned responses ready for regression: one row per (clip, window). */
export interface AlignedWindows {
  split: Split;
  clipIds: string[];
  nWindows: number;
  nVoxels: number;
  /** `clips × windows × V` row-major float32: row `c·W + w` is clip c, window w. */
  data: Float32Array;
  /** Row → clip index (length clips·W): the CV groups that keep a clip's windows in one fold. */
  groups: Int32Array;
  lagTr: number;
  scansPerClip: number;
  tr: number;
  windowScans: ScanRange[];
  /** Presentations averaged per clip. */
  repetitions: number[];
  clamped: ClampRecord[];
}

/**
 * Straight from responses to windows: for every clip and window, the mean over the clip's
 * presentations (test repetitions) and over the window's scans (rule: {@link windowScanRange})
 * after a lag of `lagTr` scans. Equals `windowResponses(clipScans(resp, split, opts), windows, tr)`
 * without holding the `clips × scans × V` intermediate.
 */
export function alignWindows(
  resp: AlignableResponses,
  split: Split,
  windows: readonly TimeWindow[],
  opts: AlignOptions,
): AlignedWindows {
  const plan = planClipScans(resp, split, opts);
  if (windows.length === 0) fail('BAD_INPUT', 'alignWindows needs at least one window.');
  const ranges = windows.map((w) => windowScanRange(w, resp.tr, plan.scansPerClip));
  const V = resp.nVoxels;
  const W = windows.length;
  const nClips = plan.clipIds.length;
  const data = new Float32Array(nClips * W * V);
  const groups = new Int32Array(nClips * W);
  const acc = new Float64Array(V);
  for (let c = 0; c < nClips; c++) {
    const sources = plan.sources[c];
    for (let w = 0; w < W; w++) {
      const { first, count } = ranges[w];
      acc.fill(0);
      for (const src of sources) {
        const run = resp.runs[src.runIndex];
        if (run.data.length !== run.nScans * V) fail('MISMATCH', `${run.task} run ${run.run} holds ${run.data.length} values, expected ${run.nScans} scans × ${V} voxels.`);
        for (let s = first; s < first + count; s++) {
          const o = src.scans[s] * V;
          for (let v = 0; v < V; v++) acc[v] += run.data[o + v];
        }
      }
      const n = count * sources.length;
      const out = (c * W + w) * V;
      for (let v = 0; v < V; v++) data[out + v] = acc[v] / n;
      groups[c * W + w] = c;
    }
  }
  return {
    split,
    clipIds: plan.clipIds,
    nWindows: W,
    nVoxels: V,
    data,
    groups,
    lagTr: plan.lagTr,
    scansPerClip: plan.scansPerClip,
    tr: resp.tr,
    windowScans: ranges,
    repetitions: plan.sources.map((s) => s.length),
    clamped: plan.clamped,
  };
}
