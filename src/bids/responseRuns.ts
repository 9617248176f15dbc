// Steps shared by the loaders that build responses from BOLD runs (raw BIDS, fMRIPrep).
import { fail } from '../errors.ts';
import { detrendRunningMedian, medianWindowScans } from './detrendRunningMedian.ts';
import type { Dataset, Presentation, RunResponses, RunSchedule, SubjectResponses } from './types.ts';
import { zscoreRun } from './zscoreRun.ts';

function hasNaN(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return i;
  return -1;
}

export function checkFinite(data: Float32Array, nVoxels: number, file: string): void {
  const i = hasNaN(data);
  if (i >= 0) fail('BAD_FILE', `${file}: NaN at row ${Math.floor(i / nVoxels)}, voxel ${i % nVoxels}; responses must be finite. Remove or fill those voxels before loading.`);
}

export function testMeanFrom(runs: RunResponses[], presentations: Presentation[], clipIds: string[], spc: number, nVoxels: number): Float32Array {
  const out = new Float32Array(clipIds.length * spc * nVoxels);
  const byRun = new Map(runs.map((r) => [`${r.task}-${r.run}`, r]));
  clipIds.forEach((id, c) => {
    const reps = presentations.filter((p) => p.task === 'Test' && p.clipId === id);
    for (const p of reps) {
      const r = byRun.get(`${p.task}-${p.run}`) as RunResponses;
      for (let s = 0; s < spc; s++) {
        const t = Math.min(p.firstScan + s, r.nScans - 1);
        const src = t * nVoxels;
        const dst = (c * spc + s) * nVoxels;
        for (let v = 0; v < nVoxels; v++) out[dst + v] += r.data[src + v] / reps.length;
      }
    }
  });
  return out;
}

/**
 * A run read from BOLD (all `s.nScansInFile` volumes, nScans × nVoxels) to the responses the
 * rest of brain2music uses: running-median detrend over the whole run (unless `detrend` is
 * false), the duplicate first clip's scans cut (`s.trimmedScans`), then z-scored per voxel
 * (unless `zscore` is false). `data` is detrended in place.
 */
export function finishRun(data: Float32Array, nVoxels: number, s: RunSchedule, tr: number, opts: { detrend?: boolean; zscore?: boolean }): RunResponses {
  if (opts.detrend ?? true) detrendRunningMedian(data, s.nScansInFile, nVoxels, medianWindowScans(tr));
  const nScans = s.nScansInFile - s.trimmedScans;
  const out = data.slice(s.trimmedScans * nVoxels);
  if (opts.zscore ?? true) zscoreRun(out, nScans, nVoxels);
  return { task: s.task, run: s.run, nScans, data: out };
}

/** The test clips' repetition average of BOLD-derived runs (null when the schedule has no test clips). */
export function testMeanOfRuns(ds: Dataset, runs: RunResponses[], nVoxels: number): SubjectResponses['testMean'] {
  const testClips = ds.clips.filter((c) => c.split === 'test').map((c) => c.id);
  const spc = ds.schedule[0].scansPerClip;
  if (testClips.length === 0) return null;
  return { clipIds: testClips, scansPerClip: spc, data: testMeanFrom(runs, ds.schedule.flatMap((x: RunSchedule) => x.presentations), testClips, spc, nVoxels) };
}
