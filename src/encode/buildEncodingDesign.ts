import { fail } from '../errors.ts';
import { delayFeatures } from './delayFeatures.ts';
import type { EncodingResponses } from './encodingResponses.ts';
import { checkClipWindows, rowsFor, type ClipWindows } from '../embed/index.ts';
import { scanWindows } from './scanWindows.ts';

/** Options of {@link buildEncodingDesign}. */
export interface EncodingDesignOptions {
  /** FIR delays in scans (default `[1, 2, 3, 4]`); `[3]` is a plain 3-TR lag. */
  delays?: readonly number[];
  /** Scans per clip presentation (default 10: 15 s clips at TR 1.5 s). */
  scansPerClip?: number;
}

/**
 * The regression problem of a voxelwise encoding model, built from the feature spaces and the
 * stimulus timeline. Rows of the response matrices are referenced, not copied, so responses can be
 * gathered voxel batch by voxel batch ({@link gatherRows}, {@link gatherMeanRows}).
 *
 * - `trainX`: Float32Array `nTrain × nFeatures`; training row `i` is scan `trainScan[i]` of run
 *   `trainRun[i]` (index into `responses.runs`). `trainClip[i]`: ordinal of its clip among the
 *   training presentations (for CV grouped by clip); `trainRunGroup[i]`: its run (leave-one-run-out).
 * - `testX`: Float32Array `nTest × nFeatures`, one row per (test clip, scan within clip), clips in
 *   order of first presentation; each row is the mean over the clip's repetitions of the delayed
 *   features, so predictions are exactly the mean of the per-repetition predictions.
 *   Repetition `k` of test row `i` is scan `testScan[testOffsets[i] + k]` of run `testRun[...]`.
 * - Columns: space by space (`spaceNames[s]`, `spaceWidths[s]` columns), inside a space delay by
 *   delay, inside a delay the space's dimensions.
 */
export interface EncodingDesign {
  nFeatures: number;
  spaceNames: string[];
  spaceWidths: number[];
  delays: number[];
  scansPerClip: number;
  nTrain: number;
  trainX: Float32Array;
  trainRun: Int32Array;
  trainScan: Int32Array;
  trainClip: Int32Array;
  trainRunGroup: Int32Array;
  nTest: number;
  testX: Float32Array;
  testClipIds: string[];
  testOffsets: Int32Array;
  testRun: Int32Array;
  testScan: Int32Array;
  /** Fewest repetitions of any test row (the noise ceiling uses this many). */
  minTestReps: number;
}

/**
 * Per-run scan-rate features of one space (`nScans × dim`), zero where no clip plays; `rows` holds
 * the vectors of the run's presentations in their order (`rowsFor(space, pres' clip ids)`).
 */
function spaceTimeline(space: ClipWindows, rows: Float32Array, pres: EncodingResponses['presentations'], nScans: number, tr: number, scansPerClip: number): { x: Float32Array; covered: Uint8Array } {
  const { dim, nWindows } = space;
  const x = new Float32Array(nScans * dim);
  const covered = new Uint8Array(nScans);
  const windowsOf = Array.from({ length: scansPerClip }, (_, j) => scanWindows(space, j, tr));
  for (const [c, p] of pres.entries()) {
    for (let j = 0; j < scansPerClip; j++) {
      const s = p.firstScan + j;
      if (s < 0 || s >= nScans) continue;
      covered[s] = 1;
      const ws = windowsOf[j]!;
      const row = x.subarray(s * dim, (s + 1) * dim);
      for (const w of ws) {
        const off = (c * nWindows + w) * dim;
        for (let k = 0; k < dim; k++) row[k]! += rows[off + k]! / ws.length;
      }
    }
  }
  return { x, covered };
}

/**
 * Aligns feature spaces to the scans of one subject and builds training and test design matrices.
 *
 * Steps: (1) each space is up-sampled to the scan rate over the whole run timeline
 * ({@link scanWindows}); (2) its columns are z-scored with the mean and standard deviation over the
 * training runs' stimulus scans (scans without a stimulus stay 0, i.e. the mean); when several
 * spaces are stacked each is also divided by √dim so that every space starts with the same total
 * variance; (3) FIR delays are stacked within each run ({@link delayFeatures}); (4) training rows are
 * the `scansPerClip` scans of every training presentation, test rows those of every test clip,
 * averaged over repetitions.
 *
 * @throws MISMATCH when a presented clip is missing from a space, BAD_INPUT on bad options
 */
export function buildEncodingDesign(resp: EncodingResponses, spaces: readonly ClipWindows[], opts: EncodingDesignOptions = {}): EncodingDesign {
  const delays = [...(opts.delays ?? [1, 2, 3, 4])];
  const scansPerClip = opts.scansPerClip ?? 10;
  if (spaces.length === 0) fail('BAD_INPUT', 'encoding needs at least one feature space.');
  if (delays.length === 0 || delays.some((d) => !Number.isInteger(d) || d < 0)) fail('BAD_INPUT', `delays must be non-negative integers (scans), got [${delays.join(', ')}].`);
  if (!Number.isInteger(scansPerClip) || scansPerClip < 1) fail('BAD_INPUT', `scansPerClip must be a positive integer, got ${scansPerClip}.`);
  spaces.forEach(checkClipWindows);

  const presByRun = resp.runs.map((r) => resp.presentations.filter((p) => p.task === r.task && p.run === r.run));
  // Scan-rate timelines per space and run, z-scored with training statistics.
  const timelines = spaces.map((s) => resp.runs.map((r, ri) => {
    const pres = presByRun[ri]!;
    const rows = rowsFor(s, pres.map((p) => p.clipId), `presented to ${resp.subject} in ${r.task} run ${r.run}`);
    return spaceTimeline(s, rows, pres, r.nScans, resp.tr, scansPerClip);
  }));
  spaces.forEach((s, si) => {
    const sum = new Float64Array(s.dim);
    const sum2 = new Float64Array(s.dim);
    let n = 0;
    resp.runs.forEach((r, ri) => {
      if (r.task !== 'Training') return;
      const { x, covered } = timelines[si]![ri]!;
      for (let t = 0; t < r.nScans; t++) {
        if (!covered[t]) continue;
        n++;
        for (let k = 0; k < s.dim; k++) { const v = x[t * s.dim + k]!; sum[k]! += v; sum2[k]! += v * v; }
      }
    });
    if (n === 0) fail('BAD_INPUT', `${resp.subject} has no training presentations; encoding needs training runs.`);
    const scale = spaces.length > 1 ? 1 / Math.sqrt(s.dim) : 1;
    const mean = sum.map((v) => v / n);
    const inv = sum2.map((v, k) => { const sd = Math.sqrt(Math.max(0, v / n - mean[k]! ** 2)); return sd > 1e-12 ? scale / sd : 0; });
    resp.runs.forEach((r, ri) => {
      const { x, covered } = timelines[si]![ri]!;
      for (let t = 0; t < r.nScans; t++) {
        for (let k = 0; k < s.dim; k++) x[t * s.dim + k] = covered[t] ? (x[t * s.dim + k]! - mean[k]!) * inv[k]! : 0;
      }
    });
  });

  const spaceWidths = spaces.map((s) => s.dim * delays.length);
  const nFeatures = spaceWidths.reduce((a, b) => a + b, 0);
  // Delayed design per run, all spaces side by side.
  const runX = resp.runs.map((r, ri) => {
    const out = new Float32Array(r.nScans * nFeatures);
    let col = 0;
    spaces.forEach((s, si) => {
      const d = delayFeatures(timelines[si]![ri]!.x, r.nScans, s.dim, delays);
      const w = spaceWidths[si]!;
      for (let t = 0; t < r.nScans; t++) out.set(d.subarray(t * w, (t + 1) * w), t * nFeatures + col);
      col += w;
    });
    return out;
  });

  // Training rows.
  const trainRows: [number, number, number][] = [];
  let clipOrdinal = 0;
  resp.runs.forEach((r, ri) => {
    if (r.task !== 'Training') return;
    for (const p of [...presByRun[ri]!].sort((a, b) => a.firstScan - b.firstScan)) {
      for (let j = 0; j < scansPerClip; j++) if (p.firstScan + j < r.nScans) trainRows.push([ri, p.firstScan + j, clipOrdinal]);
      clipOrdinal++;
    }
  });
  const nTrain = trainRows.length;
  const trainX = new Float32Array(nTrain * nFeatures);
  const trainRun = new Int32Array(nTrain);
  const trainScan = new Int32Array(nTrain);
  const trainClip = new Int32Array(nTrain);
  const trainRunGroup = new Int32Array(nTrain);
  trainRows.forEach(([ri, s, c], i) => {
    trainX.set(runX[ri]!.subarray(s * nFeatures, (s + 1) * nFeatures), i * nFeatures);
    trainRun[i] = ri; trainScan[i] = s; trainClip[i] = c; trainRunGroup[i] = ri;
  });

  // Test rows: per clip (first-presentation order) and scan, the list of (run, scan) over repetitions.
  const runIndex = new Map(resp.runs.map((r, ri) => [`${r.task}:${r.run}`, ri]));
  const testPres = resp.presentations.filter((p) => p.task === 'Test');
  const testClipIds = [...new Set(testPres.map((p) => p.clipId))];
  const refs: [number, number][][] = [];
  for (const id of testClipIds) {
    const reps = testPres.filter((p) => p.clipId === id).sort((a, b) => a.repetition - b.repetition);
    for (let j = 0; j < scansPerClip; j++) {
      const list: [number, number][] = [];
      for (const p of reps) {
        const ri = runIndex.get(`Test:${p.run}`);
        if (ri === undefined) fail('MISMATCH', `${resp.subject}: test presentation of '${id}' names run ${p.run}, which has no responses.`);
        if (p.firstScan + j < resp.runs[ri]!.nScans) list.push([ri, p.firstScan + j]);
      }
      if (list.length > 0) refs.push(list);
    }
  }
  const nTest = refs.length;
  const testOffsets = new Int32Array(nTest + 1);
  refs.forEach((l, i) => { testOffsets[i + 1] = testOffsets[i]! + l.length; });
  const testRun = new Int32Array(testOffsets[nTest]!);
  const testScan = new Int32Array(testOffsets[nTest]!);
  const testX = new Float32Array(nTest * nFeatures);
  const acc = new Float64Array(nFeatures);
  refs.forEach((l, i) => {
    acc.fill(0);
    l.forEach(([ri, s], k) => {
      testRun[testOffsets[i]! + k] = ri; testScan[testOffsets[i]! + k] = s;
      const row = runX[ri]!.subarray(s * nFeatures, (s + 1) * nFeatures);
      for (let f = 0; f < nFeatures; f++) acc[f]! += row[f]!;
    });
    for (let f = 0; f < nFeatures; f++) testX[i * nFeatures + f] = acc[f]! / l.length;
  });
  const minTestReps = nTest === 0 ? 0 : Math.min(...refs.map((l) => l.length));

  return {
    nFeatures, spaceNames: spaces.map((s) => s.name), spaceWidths, delays, scansPerClip,
    nTrain, trainX, trainRun, trainScan, trainClip, trainRunGroup,
    nTest, testX, testClipIds, testOffsets, testRun, testScan, minTestReps,
  };
}
