// A tiny synthetic subject with known informative ROIs, for the decoder tests. The responses are
// built scan by scan in runs, exactly as src/bids delivers them, from a linear voxel model of
// the clip's embedding (with the lag the decoder uses), plus Gaussian noise.
import type { DecodableResponses, EmbeddingSet } from '../../src/decode/index.ts';

export function normalStream(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface SyntheticSpec {
  genres: number;
  trainPerGenre: number;
  testPerGenre: number;
  testReps: number;
  rois: number;
  voxelsPerRoi: number;
  dim: number;
  /** ROI index → signal amplitude (others carry none). */
  signal: Record<number, number>;
  lagTr: number;
  seed: number;
}

export const defaultSpec: SyntheticSpec = {
  genres: 4,
  trainPerGenre: 12,
  testPerGenre: 4,
  testReps: 2,
  rois: 8,
  voxelsPerRoi: 16,
  dim: 6,
  signal: { 1: 1.0, 4: 0.6, 6: 0.35 },
  lagTr: 3,
  seed: 7,
};

export interface Synthetic {
  responses: DecodableResponses;
  embeddings: EmbeddingSet;
  /** Voxel indices of the informative ROIs. */
  informativeVoxels: Int32Array;
  informativeLabels: number[];
  trainClipIds: string[];
  testClipIds: string[];
}

const S = 10; // scans per clip (15 s at TR 1.5)
const WINDOW_STARTS = [0, 1.5, 3, 4.5];

export function makeSynthetic(spec: SyntheticSpec = defaultSpec): Synthetic {
  const g = normalStream(spec.seed);
  const { dim, rois, voxelsPerRoi } = spec;
  const V = rois * voxelsPerRoi;
  const genreNames = Array.from({ length: spec.genres }, (_, i) => `genre${i}`);
  const trainClipIds: string[] = [];
  const testClipIds: string[] = [];
  for (const gn of genreNames) {
    for (let t = 0; t < spec.trainPerGenre; t++) trainClipIds.push(`${gn}.${String(t).padStart(5, '0')}`);
    for (let t = 0; t < spec.testPerGenre; t++) testClipIds.push(`${gn}.${String(90 + t).padStart(5, '0')}`);
  }
  const allIds = [...trainClipIds, ...testClipIds];
  // Per clip a latent (T), with a genre offset, and per scan a slow drift around it; windows
  // embed the mean latent of their scans.
  const genreOffset = genreNames.map(() => Array.from({ length: dim }, () => 0.7 * g()));
  const scanLatent = new Map<string, Float64Array>(); // S × dim
  for (const id of allIds) {
    const gi = genreNames.indexOf(id.split('.')[0]);
    const base = Array.from({ length: dim }, (_, d) => genreOffset[gi][d] + g());
    const lat = new Float64Array(S * dim);
    for (let s = 0; s < S; s++) for (let d = 0; d < dim; d++) lat[s * dim + d] = base[d] + 0.4 * g();
    scanLatent.set(id, lat);
  }
  const W = WINDOW_STARTS.length;
  const embData = new Float32Array(allIds.length * W * dim);
  allIds.forEach((id, c) => {
    const lat = scanLatent.get(id)!;
    WINDOW_STARTS.forEach((start, w) => {
      const first = Math.round(start / 1.5);
      for (let d = 0; d < dim; d++) {
        let s = 0;
        for (let k = first; k < first + 7; k++) s += lat[k * dim + d];
        embData[(c * W + w) * dim + d] = s / 7;
      }
    });
  });
  // Voxel weights: informative ROIs map the latent to voxels, others have none.
  const labels = new Int32Array(V);
  const weights = new Float64Array(V * dim);
  const informative: number[] = [];
  for (let r = 0; r < rois; r++) {
    const amp = spec.signal[r] ?? 0;
    for (let j = 0; j < voxelsPerRoi; j++) {
      const v = r * voxelsPerRoi + j;
      labels[v] = r + 1;
      if (amp > 0) informative.push(v);
      for (let d = 0; d < dim; d++) weights[v * dim + d] = amp * g() / Math.sqrt(dim);
    }
  }
  const names = new Map<number, string>();
  for (let r = 0; r < rois; r++) names.set(r + 1, `roi-${r + 1}`);
  const runs: DecodableResponses['runs'][number][] = [];
  const presentations: DecodableResponses['presentations'][number][] = [];
  const makeRun = (task: 'Training' | 'Test', runNo: number, ids: string[], rep: number) => {
    const nScans = ids.length * S + spec.lagTr + 2;
    const data = new Float32Array(nScans * V);
    for (let k = 0; k < data.length; k++) data[k] = g();
    ids.forEach((id, c) => {
      const firstScan = 1 + c * S;
      presentations.push({ clipId: id, task, run: runNo, firstScan, repetition: rep });
      const lat = scanLatent.get(id)!;
      for (let s = 0; s < S; s++) {
        const row = (firstScan + spec.lagTr + s) * V;
        for (let v = 0; v < V; v++) {
          let x = 0;
          for (let d = 0; d < dim; d++) x += weights[v * dim + d] * lat[s * dim + d];
          data[row + v] += x;
        }
      }
    });
    runs.push({ task, run: runNo, nScans, data });
  };
  // Two training runs (clips interleaved across genres), one test run per repetition.
  const half = Math.ceil(trainClipIds.length / 2);
  const order = trainClipIds.map((_, i) => i).sort((a, b) => (a % spec.trainPerGenre) - (b % spec.trainPerGenre) || a - b).map((i) => trainClipIds[i]);
  makeRun('Training', 1, order.slice(0, half), 0);
  makeRun('Training', 2, order.slice(half), 0);
  for (let rep = 0; rep < spec.testReps; rep++) makeRun('Test', rep + 1, testClipIds, rep);
  return {
    responses: { tr: 1.5, nVoxels: V, runs, presentations, atlas: { labels, names } },
    embeddings: { data: embData, clipIds: allIds, nWindows: W, dim, windowStarts: WINDOW_STARTS, windowSec: 10, model: 'synthetic' },
    informativeVoxels: Int32Array.from(informative),
    informativeLabels: Object.keys(spec.signal).map((r) => Number(r) + 1),
    trainClipIds: order,
    testClipIds,
  };
}

/** The same subject with each training clip's fMRI moved to another training clip (a derangement by rotation within the run). */
export function shuffleTrainingClips(syn: Synthetic, seed: number): DecodableResponses {
  const g = normalStream(seed);
  const train = syn.responses.presentations.filter((p) => p.task === 'Training');
  const ids = train.map((p) => p.clipId);
  const keys = ids.map(() => g());
  const perm = ids.map((_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const remap = new Map(ids.map((id, i) => [id, ids[perm[i]]]));
  return {
    ...syn.responses,
    presentations: syn.responses.presentations.map((p) => (p.task === 'Training' ? { ...p, clipId: remap.get(p.clipId)! } : p)),
  };
}
