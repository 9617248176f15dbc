// A small synthetic subject with known informative voxels, generated independently of src/encode:
// clips play back to back from scan 0 of each run; each clip has one feature vector per scan
// (10 windows of 1.5 s); voxels of the informative ROIs respond to the features through an HRF
// over delays 1..4 scans; every voxel has Gaussian noise (AR(1) when `rho` > 0).
import type { ClipWindows } from '../../src/embed/index.ts';
import type { EncodingResponses } from '../../src/encode/index.ts';

/** mulberry32 uniform stream (test-local, so the generator does not share code with the library). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function normal(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export interface SyntheticSubject {
  resp: EncodingResponses;
  /** Space 'music' (drives ROIs 1 and 2) and space 'other' (drives ROI 3). */
  music: ClipWindows;
  other: ClipWindows;
  /** ROI label per voxel: 1, 2 informative for music; 3 for other; 4..6 noise. */
  labels: Int32Array;
}

export const HRF = [0.3, 0.5, 0.3, 0.1]; // response weights at delays 1..4 scans

export function syntheticSubject(opts: { seed: number; voxelsPerRoi?: number; dim?: number; rho?: number; snr?: number; trainRuns?: number; clipsPerRun?: number; testClips?: number }): SyntheticSubject {
  const { seed, voxelsPerRoi = 40, dim = 6, rho = 0, snr = 0.6, trainRuns = 4, clipsPerRun = 16, testClips = 8 } = opts;
  const u = rng(seed);
  const g = normal(u);
  const nRoi = 6;
  const V = nRoi * voxelsPerRoi;
  const labels = Int32Array.from({ length: V }, (_, v) => 1 + Math.floor(v / voxelsPerRoi));
  const S = 10; // scans per clip, windows per clip
  const trainIds = Array.from({ length: trainRuns * clipsPerRun }, (_, i) => `train.${String(i).padStart(5, '0')}`);
  const testIds = Array.from({ length: testClips }, (_, i) => `test.${String(i).padStart(5, '0')}`);
  const clipIds = [...trainIds, ...testIds];
  const mk = (name: string): ClipWindows => ({
    name, clipIds, data: Float32Array.from({ length: clipIds.length * S * dim }, g), nWindows: S, dim,
    windowStarts: Array.from({ length: S }, (_, j) => j * 1.5), windowSec: 1.5,
  });
  const music = mk('music');
  const other = mk('other');
  const weights = (space: number) => Float64Array.from({ length: V * dim }, (_, i) => {
    const roi = labels[Math.floor(i / dim)]!;
    return (space === 0 && (roi === 1 || roi === 2)) || (space === 1 && roi === 3) ? g() : 0;
  });
  const wMusic = weights(0), wOther = weights(1);
  const clipIndex = new Map(clipIds.map((id, i) => [id, i]));

  const runs: EncodingResponses['runs'] = [];
  const presentations: EncodingResponses['presentations'] = [];
  const makeRun = (task: 'Training' | 'Test', run: number, order: string[], reps: number[]) => {
    const nScans = order.length * S;
    const data = new Float32Array(nScans * V);
    const signal = new Float64Array(V);
    const noise = Float64Array.from({ length: V }, g);
    for (let t = 0; t < nScans; t++) {
      signal.fill(0);
      HRF.forEach((h, k) => {
        const src = t - (k + 1);
        if (src < 0) return;
        const c = clipIndex.get(order[Math.floor(src / S)]!)!;
        const w = src % S;
        for (const [space, W] of [[music, wMusic], [other, wOther]] as const) {
          const f = space.data.subarray((c * S + w) * dim, (c * S + w + 1) * dim);
          for (let v = 0; v < V; v++) {
            let s = 0;
            for (let k2 = 0; k2 < dim; k2++) s += f[k2]! * W[v * dim + k2]!;
            signal[v]! += h * s;
          }
        }
      });
      for (let v = 0; v < V; v++) {
        noise[v] = rho * noise[v]! + Math.sqrt(1 - rho * rho) * g();
        data[t * V + v] = snr * signal[v]! / Math.sqrt(dim) + noise[v]!;
      }
    }
    // z-score each voxel within the run, as the dataset loader does
    for (let v = 0; v < V; v++) {
      let m = 0, q = 0;
      for (let t = 0; t < nScans; t++) m += data[t * V + v]!;
      m /= nScans;
      for (let t = 0; t < nScans; t++) q += (data[t * V + v]! - m) ** 2;
      const sd = Math.sqrt(q / nScans);
      for (let t = 0; t < nScans; t++) data[t * V + v] = (data[t * V + v]! - m) / sd;
    }
    runs.push({ task, run, nScans, data });
    order.forEach((clipId, i) => presentations.push({ clipId, task, run, firstScan: i * S, repetition: reps[i]! }));
  };
  for (let r = 0; r < trainRuns; r++) {
    const ids = trainIds.slice(r * clipsPerRun, (r + 1) * clipsPerRun);
    makeRun('Training', r + 1, ids, ids.map(() => 0));
  }
  // two test runs, each test clip twice per run in shuffled order: 4 repetitions in all
  const seen = new Map<string, number>();
  for (let r = 0; r < 2; r++) {
    const order = [...testIds, ...testIds];
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(u() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
    const reps = order.map((id) => { const k = seen.get(id) ?? 0; seen.set(id, k + 1); return k; });
    makeRun('Test', r + 1, order, reps);
  }
  const names = new Map([[1, 'music-A'], [2, 'music-B'], [3, 'other-A'], [4, 'noise-A'], [5, 'noise-B'], [6, 'noise-C']]);
  return { resp: { subject: 'sub-001', tr: 1.5, nVoxels: V, runs, presentations, atlas: { labels, names } }, music, other, labels };
}
