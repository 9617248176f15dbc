// A tiny synthetic subject with known informative ROIs, for the decoder tests. The responses are
// built scan by scan in runs laid out as src/bids delivers ds003720's derivative arrays (clip c of
// a run at scans c·10 … c·10+9, duplicate first clip trimmed), from a linear voxel model of the
// clip's latent features shifted by the lag the decoder uses (the last clip's tail falls off the
// run end, as in the real arrays), plus Gaussian noise. writeSyntheticBids writes it to disk in
// the ds003720 layout for the CLI test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../src/io/index.ts';
import type { DecodableResponses } from '../../src/decode/index.ts';
import type { ClipWindows } from '../../src/embed/index.ts';

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
  /** Voxels per ROI when they differ (overrides `rois` × `voxelsPerRoi`). */
  roiSizes?: number[];
  /** Training runs the training clips are split into (default 2). */
  trainRuns?: number;
  /** ROI index → signal amplitude (others carry none). */
  signal: Record<number, number>;
  lagTr: number;
  seed: number;
  /**
   * Seed of the brain (voxel weights and noise), apart from the stimuli's: subjects made with the
   * same `seed` and their own `brainSeed` (and `roiSizes`) heard the same clips with brains of their
   * own, as a multi-subject dataset. Default: the stimuli's stream.
   */
  brainSeed?: number;
}

export const defaultSpec: SyntheticSpec = {
  genres: 4,
  trainPerGenre: 12,
  testPerGenre: 4,
  testReps: 2,
  rois: 8,
  voxelsPerRoi: 16,
  dim: 6,
  signal: { 1: 0.35, 4: 0.22, 6: 0.14 },
  lagTr: 3,
  seed: 7,
};

export interface Synthetic {
  responses: DecodableResponses;
  embeddings: ClipWindows;
  /** Voxel indices of the informative ROIs. */
  informativeVoxels: Int32Array;
  informativeLabels: number[];
  trainClipIds: string[];
  testClipIds: string[];
  /** Clip order of each run (as presented, without the duplicate first clip). */
  runOrder: { task: 'Training' | 'Test'; run: number; clipIds: string[] }[];
}

const S = 10; // scans per clip (15 s at TR 1.5)
export const GENRE_NAMES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];
const WINDOW_STARTS = [0, 1.5, 3, 4.5];

export function makeSynthetic(spec: SyntheticSpec = defaultSpec): Synthetic {
  const g = normalStream(spec.seed);
  const { dim } = spec;
  const sizes = spec.roiSizes ?? new Array<number>(spec.rois).fill(spec.voxelsPerRoi);
  const rois = sizes.length;
  const V = sizes.reduce((a, b) => a + b, 0);
  const genreNames = GENRE_NAMES.slice(0, spec.genres);
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
  const gb = spec.brainSeed === undefined ? g : normalStream(spec.brainSeed);
  const labels = new Int32Array(V);
  const weights = new Float64Array(V * dim);
  const informative: number[] = [];
  for (let r = 0, v0 = 0; r < rois; v0 += sizes[r], r++) {
    const amp = spec.signal[r] ?? 0;
    for (let j = 0; j < sizes[r]; j++) {
      const v = v0 + j;
      labels[v] = r + 1;
      if (amp > 0) informative.push(v);
      for (let d = 0; d < dim; d++) weights[v * dim + d] = amp * gb() / Math.sqrt(dim);
    }
  }
  const names = new Map<number, string>();
  for (let r = 0; r < rois; r++) names.set(r + 1, `roi-${r + 1}`);
  const runs: DecodableResponses['runs'][number][] = [];
  const presentations: DecodableResponses['presentations'][number][] = [];
  const runOrder: Synthetic['runOrder'] = [];
  const makeRun = (task: 'Training' | 'Test', runNo: number, ids: string[], rep: number) => {
    const nScans = ids.length * S;
    const data = new Float32Array(nScans * V);
    for (let k = 0; k < data.length; k++) data[k] = gb();
    runOrder.push({ task, run: runNo, clipIds: ids });
    ids.forEach((id, c) => {
      const firstScan = c * S;
      presentations.push({ clipId: id, task, run: runNo, firstScan, repetition: rep });
      const lat = scanLatent.get(id)!;
      for (let s = 0; s < S && firstScan + spec.lagTr + s < nScans; s++) {
        const row = (firstScan + spec.lagTr + s) * V;
        for (const v of informative) {
          let x = 0;
          for (let d = 0; d < dim; d++) x += weights[v * dim + d] * lat[s * dim + d];
          data[row + v] += x;
        }
      }
    });
    runs.push({ task, run: runNo, nScans, data });
  };
  // Training runs (clips interleaved across genres), one test run per repetition.
  const nTrainRuns = spec.trainRuns ?? 2;
  const perRun = Math.ceil(trainClipIds.length / nTrainRuns);
  const order = trainClipIds.map((_, i) => i).sort((a, b) => (a % spec.trainPerGenre) - (b % spec.trainPerGenre) || a - b).map((i) => trainClipIds[i]);
  for (let r = 0; r < nTrainRuns; r++) makeRun('Training', r + 1, order.slice(r * perRun, (r + 1) * perRun), 0);
  for (let rep = 0; rep < spec.testReps; rep++) makeRun('Test', rep + 1, testClipIds, rep);
  return {
    responses: { tr: 1.5, nVoxels: V, runs, presentations, atlas: { labels, names } },
    embeddings: { data: embData, clipIds: allIds, nWindows: W, dim, windowStarts: WINDOW_STARTS, windowSec: 10, name: 'synthetic' },
    informativeVoxels: Int32Array.from(informative),
    informativeLabels: Object.keys(spec.signal).map((r) => Number(r) + 1),
    trainClipIds: order,
    testClipIds,
    runOrder,
  };
}

/**
 * Writes the synthetic subject as a dataset in the ds003720 layout: events (with the duplicate
 * first clip) and `_bold.json` per run, the derivative arrays (`Resp_Training`, `Resp_Test`,
 * `Resp_Test_Mean`), the per-voxel atlas labels with their names, and the embeddings
 * (`E.npy` + `E.json` as `brain2music embed` writes them) at `embeddingsPath`. With `brains`
 * (one per subject, made with `syn`'s stimuli and a `brainSeed` each) every subject gets its own
 * brain; else the subjects beyond the first have `syn`'s brain with the voxel data negated.
 */
export function writeSyntheticBids(root: string, syn: Synthetic, subjects: string[], embeddingsPath: string, brains?: readonly Synthetic[]): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'dataset_description.json'), JSON.stringify({ Name: 'brain2music decode test', BIDSVersion: '1.4.0' }));
  const event = (id: string, i: number) => {
    const [genre, track] = id.split('.');
    return `${i * 15}\t15\t'${genre}'\t${Number(track)}\t0\t15`;
  };
  for (const [si, sub] of subjects.entries()) {
    const func = join(root, sub, 'func');
    mkdirSync(func, { recursive: true });
    syn.runOrder.forEach((r, i) => {
      const stem = `${sub}_task-${r.task}_run-${String(r.run).padStart(2, '0')}`;
      const prev = i > 0 && syn.runOrder[i - 1].task === r.task && r.task === 'Training' ? syn.runOrder[i - 1].clipIds : r.clipIds;
      const dup = prev[prev.length - 1];
      writeFileSync(join(func, `${stem}_events.tsv`), ['onset\tduration\tgenre\ttrack\tstart\tend', ...[dup, ...r.clipIds].map(event)].join('\n') + '\n');
      writeFileSync(join(func, `${stem}_bold.json`), JSON.stringify({ RepetitionTime: 1.5, TaskName: r.task }));
    });
    const dd = join(root, 'derivative', 'preprocessed_data');
    mkdirSync(dd, { recursive: true });
    // subjects beyond the first: the same brain with its voxel data negated (still decodable), unless each has its own
    const sign = brains || si % 2 === 0 ? 1 : -1;
    const own = brains?.[si] ?? syn;
    const V = own.responses.nVoxels;
    const concat = (task: 'Training' | 'Test') => {
      const runs = own.responses.runs.filter((r) => r.task === task);
      const out = new Float32Array(runs.reduce((n, r) => n + r.data.length, 0));
      let o = 0;
      for (const r of runs) {
        for (let k = 0; k < r.data.length; k++) out[o + k] = sign * r.data[k];
        o += r.data.length;
      }
      return out;
    };
    const train = concat('Training');
    const test = concat('Test');
    writeNpy(join(dd, `${sub}_Resp_Training.npy`), train, [train.length / V, V]);
    writeNpy(join(dd, `${sub}_Resp_Test.npy`), test, [test.length / V, V]);
    const testRuns = own.responses.runs.filter((r) => r.task === 'Test');
    const mean = new Float32Array(syn.testClipIds.length * S * V);
    syn.testClipIds.forEach((id, c) => {
      const reps = own.responses.presentations.filter((p) => p.task === 'Test' && p.clipId === id);
      for (const p of reps) {
        const run = testRuns.find((r) => r.run === p.run)!;
        for (let s = 0; s < S; s++) for (let v = 0; v < V; v++) mean[(c * S + s) * V + v] += (sign * run.data[(p.firstScan + s) * V + v]) / reps.length;
      }
    });
    writeNpy(join(dd, `${sub}_Resp_Test_Mean.npy`), mean, [syn.testClipIds.length * S, V]);
    const ad = join(root, 'derivatives', 'atlas', sub);
    mkdirSync(ad, { recursive: true });
    writeNpy(join(ad, `${sub}_desc-voxels_labels.npy`), own.responses.atlas.labels, [V]);
    writeFileSync(join(ad, `${sub}_space-bold_dseg.tsv`), 'index\tname\n' + [...own.responses.atlas.names].map(([k, n]) => `${k}\t${n}`).join('\n') + '\n');
  }
  const e = syn.embeddings;
  writeNpy(embeddingsPath, e.data, [e.clipIds.length, e.nWindows, e.dim]);
  writeFileSync(embeddingsPath.replace(/\.npy$/, '.json'), JSON.stringify({
    model: 'synthetic', version: 'synthetic-1', dim: e.dim, sampleRate: 22050, windowSec: e.windowSec, hopSec: 1.5, clipSec: 15,
    windowStarts: e.windowStarts, clipIds: e.clipIds,
  }));
}

/**
 * The same responses with the training clips' fMRI permuted across training clips at random (a
 * clip keeps its own fMRI only by chance, about once per shuffle). Test presentations are untouched.
 */
export function shuffleTrainingClips<R extends DecodableResponses>(resp: R, seed: number): R {
  const g = normalStream(seed);
  const train = resp.presentations.filter((p) => p.task === 'Training');
  const ids = train.map((p) => p.clipId);
  const keys = ids.map(() => g());
  const perm = ids.map((_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const remap = new Map(ids.map((id, i) => [id, ids[perm[i]]]));
  return {
    ...resp,
    presentations: resp.presentations.map((p) => (p.task === 'Training' ? { ...p, clipId: remap.get(p.clipId)! } : p)),
  };
}
