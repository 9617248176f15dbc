// Writes a small dataset with the real ds003720 file names, events content and schedule:
// 12 training runs (run r holds pieces 4(r-1)..4(r-1)+3 of every genre, 40 clips shuffled) and
// 6 test runs (run r holds piece 47+r of every genre, each played 4 times), each run 41 events
// (a duplicate first clip: the previous training run's last clip, or the same test run's last
// clip), onsets every 15 s, TR 1.5 s, 410 volumes, quoted genres ('reggae'). Volumes are tiny
// (4×4×3 voxels by default) so the whole thing writes in well under a second. With `metadata`,
// the events, sidecars and top-level files are the published ones instead (REAL_METADATA).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeNifti, writeNpy } from '../../src/io/index.ts';

export const GENRES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];
export const TR = 1.5;
export const SCANS_PER_RUN = 410;
export const SCANS_PER_CLIP = 10;

export interface FixtureOptions {
  subjects?: string[];
  shape?: [number, number, number];
  raw?: boolean;
  derivative?: boolean;
  atlas?: boolean;
  /** Write BOLD runs as .nii.gz instead of .nii (the real dataset ships .nii). */
  gzip?: boolean;
  seed?: number;
  /**
   * A folder holding the real metadata (`REAL_METADATA`): its sub-001 events and sidecars (for
   * every subject, renamed; the published events are identical across subjects) and top-level
   * files are copied byte for byte, and the schedule is read from them instead of drawn at random.
   */
  metadata?: string;
}

/** The published ds003720 metadata kept in the repository (see its ATTRIBUTION). */
export const REAL_METADATA = fileURLToPath(new URL('../fixtures/ds003720-meta/', import.meta.url));
const TOP_LEVEL_FILES = ['README', 'CHANGES', 'dataset_description.json'];
const metaStem = (task: string, run: number) => `sub-001_task-${task}_run-${String(run).padStart(2, '0')}`;

/**
 * The schedule of a real metadata folder, parsed here on its own (not with src/bids) so that the
 * loader can be checked against it: rows split on CRLF, genre stripped of any quote.
 */
export function scheduleFromMetadata(dir: string): { runs: FixtureRun[]; excerpts: FixtureTruth['excerpts'] } {
  const excerpts: FixtureTruth['excerpts'] = new Map();
  const runs: FixtureRun[] = [];
  for (const [task, n] of [['Training', 12], ['Test', 6]] as const) {
    for (let run = 1; run <= n; run++) {
      const rows = readFileSync(join(dir, 'sub-001', 'func', `${metaStem(task, run)}_events.tsv`), 'utf8').split('\r\n').slice(1);
      const ids = rows.map((line) => {
        const [, , g, track, start, end] = line.split('\t');
        const genre = g.replaceAll("'", '');
        const id = `${genre}.${track.padStart(5, '0')}`;
        excerpts.set(id, { genre, track: Number(track), start: Number(start), end: Number(end) });
        return id;
      });
      runs.push({ task, run, duplicate: ids[0], clips: ids.slice(1) });
    }
  }
  return { runs, excerpts };
}

export interface FixtureRun {
  task: 'Training' | 'Test';
  run: number;
  /** Clip id of the duplicate first event. */
  duplicate: string;
  /** The 40 presented clip ids after the duplicate, in order. */
  clips: string[];
}

export interface FixtureTruth {
  root: string;
  subjects: string[];
  trainingIds: string[];
  testIds: string[];
  excerpts: Map<string, { genre: string; track: number; start: number; end: number }>;
  runs: FixtureRun[];
  /** Flat file-order indices of voxels with label > 0. */
  maskIndices: Int32Array;
  labels: Int32Array;
  names: Map<number, string>;
  shape: [number, number, number];
  affine: Float64Array;
  /** Value of derivative cell (clip, scan within clip, voxel) before the test repetition offset. */
  code: (clipId: string, scan: number, voxel: number) => number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function eventsText(run: FixtureRun, excerpts: FixtureTruth['excerpts']): string {
  const lines = ['onset\tduration\tgenre\ttrack\tstart\tend'];
  [run.duplicate, ...run.clips].forEach((id, i) => {
    const e = excerpts.get(id)!;
    lines.push(`${i * 15}\t15\t'${e.genre}'\t${e.track}\t${e.start}\t${e.end}`);
  });
  return lines.join('\n') + '\n';
}

/** The fixtures' atlas in a `shape` volume: labels 0..3 ((i·7) mod 4, 0 = outside cortex), three Destrieux names, an oblique-free affine. */
export function fixtureAtlas(shape: [number, number, number]): { dseg: Int16Array; maskIndices: Int32Array; labels: Int32Array; names: Map<number, string>; affine: Float64Array } {
  const nVox = shape[0] * shape[1] * shape[2];
  const dseg = new Int16Array(nVox);
  for (let i = 0; i < nVox; i++) dseg[i] = (i * 7) % 4;
  const maskIdx: number[] = [];
  for (let i = 0; i < nVox; i++) if (dseg[i] > 0) maskIdx.push(i);
  return {
    dseg,
    maskIndices: Int32Array.from(maskIdx),
    labels: Int32Array.from(maskIdx, (i) => dseg[i]),
    names: new Map([[1, 'G_temp_sup-Lateral'], [2, 'S_calcarine'], [3, 'G_front_inf-Triangul']]),
    affine: Float64Array.from([-2, 0, 0, 4, 0, 2, 0, -4, 0, 0, 2, -3, 0, 0, 0, 1]),
  };
}

/**
 * Writes {@link fixtureAtlas} as a subject's atlas files under `root/derivatives/atlas/<sub>/`:
 * the label image, its names table, the per-voxel labels and C-order indices, and a reference image.
 */
export function writeAtlasFiles(root: string, sub: string, shape: [number, number, number]): void {
  const [nx, ny, nz] = shape;
  const { dseg, maskIndices, labels, names, affine } = fixtureAtlas(shape);
  const V = maskIndices.length;
  const ad = join(root, 'derivatives', 'atlas', sub);
  mkdirSync(ad, { recursive: true });
  writeNifti(join(ad, `${sub}_space-bold_dseg.nii.gz`), { dims: shape, data: dseg, affine });
  writeFileSync(join(ad, `${sub}_space-bold_dseg.tsv`), 'index\tname\n' + [...names].map(([k, n]) => `${k}\t${n}`).join('\n') + '\n');
  writeNpy(join(ad, `${sub}_desc-voxels_labels.npy`), labels, [V]);
  // C-order indices, as numpy.ravel_multi_index(np.nonzero(mask), shape) writes them
  const cIdx = new BigInt64Array(V);
  maskIndices.forEach((f, v) => {
    const i = f % nx;
    const j = Math.floor(f / nx) % ny;
    const k = Math.floor(f / (nx * ny));
    cIdx[v] = BigInt((i * ny + j) * nz + k);
  });
  writeNpy(join(ad, `${sub}_desc-voxels_indices.npy`), cIdx, [V]);
  writeNifti(join(ad, `${sub}_space-bold_ref.nii.gz`), { dims: shape, data: new Float32Array(dseg.length).fill(1), affine });
}

/** The random schedule: 54 pieces per genre with excerpts on a 0.5 s grid, runs as in ds003720. */
function randomSchedule(rand: () => number): { runs: FixtureRun[]; excerpts: FixtureTruth['excerpts'] } {
  const excerpts: FixtureTruth['excerpts'] = new Map();
  const pieceId: string[][] = GENRES.map((genre) => {
    const tracks = shuffle(Array.from({ length: 100 }, (_, i) => i), rand);
    return Array.from({ length: 54 }, (_, p) => {
      const track = tracks[p];
      const id = `${genre}.${String(track).padStart(5, '0')}`;
      const start = Math.floor(rand() * 31) / 2; // 0 … 15 s in 0.5 s steps
      excerpts.set(id, { genre, track, start, end: start + 15 });
      return id;
    });
  });
  const runs: FixtureRun[] = [];
  for (let r = 1; r <= 12; r++) {
    const clips = shuffle(GENRES.flatMap((_, g) => [0, 1, 2, 3].map((k) => pieceId[g][4 * (r - 1) + k])), rand);
    const duplicate = r === 1 ? clips[clips.length - 1] : runs[r - 2].clips[39];
    runs.push({ task: 'Training', run: r, duplicate, clips });
  }
  for (let r = 1; r <= 6; r++) {
    const ten = GENRES.map((_, g) => pieceId[g][47 + r]);
    const clips = [0, 1, 2, 3].flatMap(() => shuffle(ten, rand));
    runs.push({ task: 'Test', run: r, duplicate: clips[clips.length - 1], clips });
  }
  return { runs, excerpts };
}

export function writeDs003720Fixture(root: string, opts: FixtureOptions = {}): FixtureTruth {
  const subjects = opts.subjects ?? ['sub-001'];
  const shape = opts.shape ?? [4, 4, 3];
  const rand = rng(opts.seed ?? 1);
  const { runs, excerpts } = opts.metadata ? scheduleFromMetadata(opts.metadata) : randomSchedule(rand);
  const trainingIds = runs.filter((r) => r.task === 'Training').flatMap((r) => r.clips);
  const testIds = runs.filter((r) => r.task === 'Test').flatMap((r) => r.clips.slice(0, 40)).filter((id, i, a) => a.indexOf(id) === i);

  const [nx, ny, nz] = shape;
  const nVox = nx * ny * nz;
  const { maskIndices, labels, names, affine } = fixtureAtlas(shape);
  const clipIndex = new Map([...trainingIds, ...testIds].map((id, i) => [id, i]));
  const code = (id: string, scan: number, v: number) => clipIndex.get(id)! * 10 + scan + v / 64;
  const V = maskIndices.length;

  mkdirSync(root, { recursive: true });
  if (opts.metadata) for (const f of TOP_LEVEL_FILES) copyFileSync(join(opts.metadata, f), join(root, f));
  else writeFileSync(join(root, 'dataset_description.json'), JSON.stringify({ Name: 'Music Genre fMRI Dataset (fixture)', BIDSVersion: '1.4.0' }, null, 2));
  for (const [si, sub] of subjects.entries()) {
    const func = join(root, sub, 'func');
    mkdirSync(func, { recursive: true });
    if (opts.metadata) {
      mkdirSync(join(root, sub, 'anat'), { recursive: true });
      copyFileSync(join(opts.metadata, 'sub-001', 'anat', 'sub-001_T1w.json'), join(root, sub, 'anat', `${sub}_T1w.json`));
    }
    for (const run of runs) {
      const stem = `${sub}_task-${run.task}_run-${String(run.run).padStart(2, '0')}`;
      if (opts.metadata) {
        for (const suffix of ['_events.tsv', '_bold.json']) copyFileSync(join(opts.metadata, 'sub-001', 'func', metaStem(run.task, run.run) + suffix), join(func, stem + suffix));
      } else {
        writeFileSync(join(func, `${stem}_events.tsv`), eventsText(run, excerpts));
        writeFileSync(join(func, `${stem}_bold.json`), JSON.stringify({ RepetitionTime: TR, TaskName: run.task }, null, 2));
      }
      if (opts.raw ?? true) {
        // baseline per voxel + a slow drift + a clip-dependent response + noise, int16
        const data = new Int16Array(nVox * SCANS_PER_RUN);
        const order = [run.duplicate, ...run.clips];
        for (let t = 0; t < SCANS_PER_RUN; t++) {
          const clip = clipIndex.get(order[Math.floor(t / SCANS_PER_CLIP)])!;
          for (let i = 0; i < nVox; i++) {
            data[t * nVox + i] = Math.round(1000 + 10 * i + 30 * si + 0.2 * t + 25 * Math.sin(clip * 0.7 + i) + 6 * (rand() - 0.5));
          }
        }
        writeNifti(join(func, `${stem}_bold.${opts.gzip ? 'nii.gz' : 'nii'}`), { dims: [nx, ny, nz, SCANS_PER_RUN], data, affine, pixDims: [2, 2, 2, TR] });
      }
    }
    if (opts.atlas ?? true) writeAtlasFiles(root, sub, shape);
    if (opts.derivative ?? true) {
      const dd = join(root, 'derivative', 'preprocessed_data');
      mkdirSync(dd, { recursive: true });
      const block = (task: 'Training' | 'Test') => {
        const rs = runs.filter((r) => r.task === task);
        const out = new Float32Array(rs.length * 400 * V);
        let row = 0;
        for (const r of rs) {
          const seen = new Map<string, number>();
          for (const id of r.clips) {
            const rep = seen.get(id) ?? 0;
            seen.set(id, rep + 1);
            for (let s = 0; s < SCANS_PER_CLIP; s++, row++) for (let v = 0; v < V; v++) out[row * V + v] = code(id, s, v) + 0.25 * rep;
          }
        }
        return out;
      };
      writeNpy(join(dd, `${sub}_Resp_Training.npy`), block('Training'), [4800, V]);
      writeNpy(join(dd, `${sub}_Resp_Test.npy`), block('Test'), [2400, V]);
      const mean = new Float32Array(600 * V);
      testIds.forEach((id, c) => {
        for (let s = 0; s < SCANS_PER_CLIP; s++) for (let v = 0; v < V; v++) mean[(c * SCANS_PER_CLIP + s) * V + v] = code(id, s, v) + 0.375;
      });
      writeNpy(join(dd, `${sub}_Resp_Test_Mean.npy`), mean, [600, V]);
    }
  }
  return { root, subjects, trainingIds, testIds, excerpts, runs, maskIndices, labels, names, shape, affine, code };
}
