import { fail } from '../errors.ts';
import { planClipScans } from './planClipScans.ts';
import type { AlignableResponses, AlignOptions, ClampRecord, Split } from './responses.ts';

/** Per-clip response time courses: `data` is `clips × scansPerClip × V` row-major float32. */
export interface ClipScans {
  clipIds: string[];
  scansPerClip: number;
  nVoxels: number;
  tr: number;
  lagTr: number;
  data: Float32Array;
  /** Presentations averaged per clip (4 for ds003720 test clips, 1 for training). */
  repetitions: number[];
  clamped: ClampRecord[];
}

/**
 * The `scansPerClip` scans after each clip's onset, lagged by `lagTr` scans, with the test
 * repetitions averaged scan by scan. Clips are in order of first presentation. Lagged scans past
 * a run's end are clamped to its last scan and listed in `clamped`.
 *
 * Memory: clips × scansPerClip × V float32 (480 × 10 × 60k ≈ 1.2 GB for ds003720 training);
 * {@link alignWindows} goes straight to windows when that is all you need.
 */
export function clipScans(resp: AlignableResponses, split: Split, opts: AlignOptions): ClipScans {
  const plan = planClipScans(resp, split, opts);
  const V = resp.nVoxels;
  const S = plan.scansPerClip;
  const data = new Float32Array(plan.clipIds.length * S * V);
  const acc = new Float64Array(V);
  plan.sources.forEach((sources, c) => {
    for (let s = 0; s < S; s++) {
      acc.fill(0);
      for (const src of sources) {
        const run = resp.runs[src.runIndex];
        if (run.data.length !== run.nScans * V) fail('MISMATCH', `${run.task} run ${run.run} holds ${run.data.length} values, expected ${run.nScans} scans × ${V} voxels.`);
        const o = src.scans[s] * V;
        for (let v = 0; v < V; v++) acc[v] += run.data[o + v];
      }
      const out = (c * S + s) * V;
      for (let v = 0; v < V; v++) data[out + v] = acc[v] / sources.length;
    }
  });
  return {
    clipIds: plan.clipIds,
    scansPerClip: S,
    nVoxels: V,
    tr: resp.tr,
    lagTr: plan.lagTr,
    data,
    repetitions: plan.sources.map((s) => s.length),
    clamped: plan.clamped,
  };
}
