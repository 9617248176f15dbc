// Writes a small dataset as fMRIPrep (with FreeSurfer) leaves it, for the fMRIPrep route's tests:
//
//   <root>/                                   raw BIDS: dataset_description.json, sub-X/func/*_events.tsv
//                                             and *_bold.json (ds003720 names, events and schedule, from
//                                             ds003720Fixture.ts; no raw BOLD)
//   <root>/derivatives/fmriprep/
//     dataset_description.json, desc-aparcaseg_dseg.tsv
//     sub-X/func/sub-X_task-<T>_run-NN_space-T1w_desc-preproc_bold.nii.gz   float32, 410 volumes, 3 mm RAS grid
//     sub-X/func/sub-X_task-<T>_run-NN_space-T1w_desc-brain_mask.nii.gz     uint8, same grid
//     sub-X/func/sub-X_task-<T>_run-NN_desc-confounds_timeseries.tsv        real fMRIPrep column names
//     sub-X/anat/sub-X_desc-aparcaseg_dseg.nii.gz                           Desikan-Killiany, 1.5 mm LPS grid
//     sub-X/anat/sub-X_from-fsnative_to-T1w_mode-image_xfm.txt              ITK affine (a translation)
//     sourcedata/freesurfer/sub-X/mri/aparc.a2009s+aseg.mgz                 Destrieux, 1 mm LIA, written by nibabel
//
// The BOLD = baseline + slow drift + head-motion artefact (an exact linear function of the six
// motion columns of the confounds table, large against the rest) + a decodable signal + noise.
// The signal sits in three named Destrieux ROIs (FMRIPREP_SIGNAL_ROIS): a linear map of each clip's
// latent features, shifted by 3 TR, as test/decode/synthetic.ts builds it; the same latents,
// averaged over each embedding window, are written as an embeddings file (`E.npy` + `E.json`,
// as `brain2music embed` writes them) when `embeddingsPath` is given. Decoding with lag 3 TR
// finds those ROIs. The label images are built in world space from one BOLD-grid layout, so
// nearest-neighbour resampling onto the BOLD grid gives back exactly `expected.labels`.
//
// Needs /usr/bin/python3 with nibabel (for the MGZ); `hasNibabel` tells whether it is there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNifti, writeNpy } from '../../src/io/index.ts';
import { destrieuxId, desikanLabels, destrieuxLabels, DESTRIEUX_NAMES } from '../../src/bids/index.ts';
import { normalStream } from '../decode/synthetic.ts';
import { writeDs003720Fixture, SCANS_PER_CLIP, SCANS_PER_RUN, TR, type FixtureRun } from './ds003720Fixture.ts';

export const PY = '/usr/bin/python3';
export const hasNibabel = spawnSync(PY, ['-c', 'import nibabel']).status === 0;

/** The ROIs that carry signal, with their amplitude (noise sd 1 in signal units). */
export const FMRIPREP_SIGNAL_ROIS: ReadonlyArray<{ name: string; amplitude: number }> = [
  { name: 'ctx_lh_G_temp_sup-G_T_transv', amplitude: 0.5 },
  { name: 'ctx_rh_G_temp_sup-Lateral', amplitude: 0.4 },
  { name: 'ctx_lh_G_front_inf-Triangul', amplitude: 0.3 },
];

/** Destrieux names laid out along y (posterior → anterior) × z bands, per hemisphere (16 ROIs per hemisphere). */
const LAYOUT = [
  ['G_cuneus', 'S_calcarine', 'G_occipital_middle', 'Pole_occipital'],
  ['G_temp_sup-Lateral', 'G_temp_sup-G_T_transv', 'S_temporal_sup', 'G_temporal_middle'],
  ['G_precentral', 'S_central', 'G_postcentral', 'G_insular_short'],
  ['G_front_inf-Triangul', 'G_front_middle', 'G_front_sup', 'G_orbital'],
];
/** Desikan-Killiany region used for the same block in the aparcaseg image. */
const DK_LAYOUT = [
  ['cuneus', 'pericalcarine', 'lateraloccipital', 'lingual'],
  ['superiortemporal', 'transversetemporal', 'bankssts', 'middletemporal'],
  ['precentral', 'paracentral', 'postcentral', 'insula'],
  ['parstriangularis', 'rostralmiddlefrontal', 'superiorfrontal', 'lateralorbitofrontal'],
];

export interface FmriprepFixtureOptions {
  /** Subjects (default ['sub-001']). Each gets its own noise; all share the brain layout and signal. */
  subjects?: string[];
  /** Training runs kept, 1–12 (default 12), and test runs, 1–6 (default 6); the schedule is ds003720's. */
  trainingRuns?: number;
  testRuns?: number;
  /** Multiplies the motion artefact (default 1; 0 gives the same data without it, same noise). */
  motionScale?: number;
  /** Amplitude multiplier of the planted signal (default 1). */
  signalScale?: number;
  /** fsnative → T1w shift written to the ITK xfm (RAS mm, fsnative = T1w + shift; default [1.5, -2, 1]). */
  fsnativeShift?: [number, number, number];
  /** Name the confounds tables the pre-20.2 way (`_desc-confounds_regressors.tsv`). */
  legacyConfoundsName?: boolean;
  /** Also write embeddings of the clips' latents here (`.npy` + `.json`). */
  embeddingsPath?: string;
  /** Latent (embedding) dimension (default 6). */
  dim?: number;
  seed?: number;
}

export interface FmriprepFixture {
  /** Raw BIDS root (events, sidecars) and the fMRIPrep and FreeSurfer folders in it. */
  root: string;
  fmriprepDir: string;
  freesurferDir: string;
  subjects: string[];
  /** The BOLD grid (space T1w): dims and row-major affine. */
  bold: { dims: [number, number, number]; affine: Float64Array };
  /** The Destrieux MGZ's grid (1 mm LIA) and the aparcaseg grid (1.5 mm LPS). */
  aparc: { dims: [number, number, number]; affine: Float64Array };
  aparcaseg: { dims: [number, number, number]; affine: Float64Array };
  fsnativeShift: [number, number, number];
  /** What loading with the Destrieux parcellation must give: voxels (BOLD flat indices, ascending), their labels, the label names. */
  expected: { voxelIndices: Int32Array; labels: Int32Array; names: Map<number, string>; maskVoxels: number };
  /** The same with fMRIPrep's Desikan-Killiany aparcaseg. */
  expectedDesikan: { voxelIndices: Int32Array; labels: Int32Array; names: Map<number, string> };
  /** Signal ROIs with their Destrieux label id and BOLD voxels. */
  signalRois: { name: string; label: number; amplitude: number; voxels: Int32Array }[];
  /** Runs written (ds003720 order), clip ids of the kept runs. */
  runs: FixtureRun[];
  trainingIds: string[];
  testIds: string[];
  /** Embeddings written (when asked): path, windows per clip, dim. */
  embeddings: { path: string; nWindows: number; dim: number; clipIds: string[] } | null;
  /** Path of a run's file: `file(sub, 'Training', 3, 'bold' | 'mask' | 'confounds')`. */
  file: (subject: string, task: 'Training' | 'Test', run: number, kind: 'bold' | 'mask' | 'confounds') => string;
}

const BOLD_DIMS: [number, number, number] = [12, 14, 10];
// 3 mm RAS, origin chosen so BOLD centres never sit halfway between 1 mm voxel centres
const BOLD_AFFINE = Float64Array.from([3, 0, 0, -16.2, 0, 3, 0, -21.1, 0, 0, 3, -9.7, 0, 0, 0, 1]);
const APARC_DIMS: [number, number, number] = [44, 38, 50]; // LIA: i ← x, j ← z, k ← y
const APARCSEG_DIMS: [number, number, number] = [28, 32, 24];
const WINDOW_STARTS = [0, 1.5, 3, 4.5];
const LAG_TR = 3;

function liaAffine(centre: [number, number, number], dims: [number, number, number]): Float64Array {
  // columns: i → -x, j → -z, k → +y (1 mm); c_ras at voxel dims/2 as FreeSurfer defines it
  const m = [-1, 0, 0, 0, 0, 1, 0, -1, 0];
  const a = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) a[r * 4 + c] = m[r * 3 + c];
    a[r * 4 + 3] = centre[r] - (m[r * 3] * dims[0] + m[r * 3 + 1] * dims[1] + m[r * 3 + 2] * dims[2]) / 2;
  }
  a[15] = 1;
  return a;
}

/** World (mm) → nearest BOLD voxel flat index, or -1 outside the grid. */
function boldVoxelAt(x: number, y: number, z: number): number {
  const [nx, ny, nz] = BOLD_DIMS;
  const i = Math.round((x - BOLD_AFFINE[3]) / 3);
  const j = Math.round((y - BOLD_AFFINE[7]) / 3);
  const k = Math.round((z - BOLD_AFFINE[11]) / 3);
  if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return -1;
  return i + nx * (j + ny * k);
}

/**
 * The layout on the BOLD grid: brain mask (interior box), and per voxel a Destrieux and a Desikan
 * label (cortical blocks; the lowest two slices white matter 2/41; a medial column Medial_wall).
 */
function boldLayout(): { mask: Uint8Array; destrieux: Int32Array; desikan: Int32Array } {
  const [nx, ny, nz] = BOLD_DIMS;
  const n = nx * ny * nz;
  const mask = new Uint8Array(n);
  const destrieux = new Int32Array(n);
  const desikan = new Int32Array(n);
  const dk = desikanLabels();
  const dkId = (hemi: 'lh' | 'rh', name: string) => [...dk].find(([, v]) => v === `ctx-${hemi}-${name}`)![0];
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const f = i + nx * (j + ny * k);
    const inBrain = i >= 1 && i <= nx - 2 && j >= 1 && j <= ny - 2 && k <= nz - 2;
    mask[f] = inBrain ? 1 : 0;
    const hemi = i < nx / 2 ? 'lh' : 'rh';
    if (k < 2) {
      destrieux[f] = hemi === 'lh' ? 2 : 41; // cerebral white matter (aseg)
      desikan[f] = destrieux[f];
      continue;
    }
    if (i === nx / 2 - 1 && j >= 5 && j <= 8) {
      destrieux[f] = hemi === 'lh' ? 11142 : 12142; // Medial_wall: in the LUT, not cortex
      desikan[f] = hemi === 'lh' ? 1004 : 2004; // corpuscallosum: likewise
      continue;
    }
    const yb = Math.min(3, Math.floor((j * 4) / ny));
    const zb = Math.min(3, Math.floor(((k - 2) * 4) / (nz - 2)));
    destrieux[f] = destrieuxId(hemi, DESTRIEUX_NAMES.indexOf(LAYOUT[yb][zb]));
    desikan[f] = dkId(hemi, DK_LAYOUT[yb][zb]);
  }
  return { mask, destrieux, desikan };
}

function fill(dims: [number, number, number], affine: Float64Array, shift: [number, number, number], boldLabels: Int32Array): Int32Array {
  const [sx, sy, sz] = dims;
  const out = new Int32Array(sx * sy * sz);
  for (let c = 0; c < sz; c++) for (let b = 0; b < sy; b++) for (let a = 0; a < sx; a++) {
    const x = affine[0] * a + affine[1] * b + affine[2] * c + affine[3] - shift[0];
    const y = affine[4] * a + affine[5] * b + affine[6] * c + affine[7] - shift[1];
    const z = affine[8] * a + affine[9] * b + affine[10] * c + affine[11] - shift[2];
    const f = boldVoxelAt(x, y, z);
    out[a + sx * (b + sy * c)] = f < 0 ? 0 : boldLabels[f];
  }
  return out;
}

function confoundsTsv(motion: Float64Array, n: number, rand: () => number): string {
  const base = ['trans_x', 'trans_y', 'trans_z', 'rot_x', 'rot_y', 'rot_z'];
  const cols = ['global_signal', 'csf', 'white_matter', 'csf_wm', 'std_dvars', 'dvars', 'framewise_displacement', 'rmsd',
    't_comp_cor_00', 'a_comp_cor_00', 'cosine00', 'non_steady_state_outlier00',
    ...base.flatMap((c) => [c, `${c}_derivative1`, `${c}_power2`, `${c}_derivative1_power2`])];
  const lines = [cols.join('\t')];
  for (let t = 0; t < n; t++) {
    const v: Record<string, string> = {};
    const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
    v.global_signal = fmt(600 + 5 * rand());
    v.csf = fmt(800 + 10 * rand());
    v.white_matter = fmt(550 + 3 * rand());
    v.csf_wm = fmt(rand());
    v.std_dvars = t === 0 ? 'n/a' : fmt(1 + 0.1 * rand());
    v.dvars = t === 0 ? 'n/a' : fmt(15 + rand());
    v.framewise_displacement = t === 0 ? 'n/a' : fmt(0.1 * rand());
    v.rmsd = t === 0 ? 'n/a' : fmt(0.05 * rand());
    v.t_comp_cor_00 = fmt(rand() - 0.5);
    v.a_comp_cor_00 = fmt(rand() - 0.5);
    v.cosine00 = fmt(Math.cos((Math.PI * (t + 0.5)) / n));
    v.non_steady_state_outlier00 = t === 0 ? '1' : '0';
    base.forEach((c, k) => {
      const x = motion[t * 6 + k];
      const d = t === 0 ? NaN : x - motion[(t - 1) * 6 + k];
      v[c] = fmt(x);
      v[`${c}_derivative1`] = t === 0 ? 'n/a' : fmt(d);
      v[`${c}_power2`] = fmt(x * x);
      v[`${c}_derivative1_power2`] = t === 0 ? 'n/a' : fmt(d * d);
    });
    lines.push(cols.map((c) => v[c]).join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** Write an MGZ with nibabel: `labels` in file order (i fastest), int32. */
function writeMgzWithNibabel(path: string, labels: Int32Array, dims: [number, number, number], affine: Float64Array, tmp: string): void {
  const npy = `${tmp}.labels.npy`;
  const aff = `${tmp}.affine.npy`;
  writeNpy(npy, labels, [labels.length]);
  writeNpy(aff, affine, [4, 4]);
  const script = 'import sys, numpy as np, nibabel as nib\nd = np.load(sys.argv[1]).reshape(tuple(int(x) for x in sys.argv[4:7]), order="F")\nnib.save(nib.MGHImage(d.astype(np.int32), np.load(sys.argv[2])), sys.argv[3])\n';
  const r = spawnSync(PY, ['-c', script, npy, aff, path, ...dims.map(String)], { encoding: 'utf8' });
  rmSync(npy, { force: true });
  rmSync(aff, { force: true });
  if (r.status !== 0) throw new Error(`nibabel could not write ${path}: ${r.stderr}`);
}

/**
 * Write the fixture under `root` (see the file header) and return what loading it must give.
 * Full size (12 + 6 runs of 410 volumes, 12×14×10 voxels) writes about 50 MB in a few seconds;
 * pass fewer runs for quicker tests.
 */
export function writeFmriprepFixture(root: string, opts: FmriprepFixtureOptions = {}): FmriprepFixture {
  const subjects = opts.subjects ?? ['sub-001'];
  const nTrain = opts.trainingRuns ?? 12;
  const nTest = opts.testRuns ?? 6;
  if (!(nTrain >= 1 && nTrain <= 12 && nTest >= 1 && nTest <= 6)) throw new Error('trainingRuns must be 1–12 and testRuns 1–6');
  const seed = opts.seed ?? 11;
  const dim = opts.dim ?? 6;
  const shift = opts.fsnativeShift ?? [1.5, -2, 1];
  const motionScale = opts.motionScale ?? 1;
  const signalScale = opts.signalScale ?? 1;
  const raw = writeDs003720Fixture(root, { subjects, raw: false, derivative: false, atlas: false, seed });
  // keep the first nTrain training and nTest test runs (the schedule rules hold for any prefix)
  const runs = raw.runs.filter((r) => (r.task === 'Training' ? r.run <= nTrain : r.run <= nTest));
  for (const sub of subjects) {
    for (const r of raw.runs) {
      if (runs.includes(r)) continue;
      const stem = join(root, sub, 'func', `${sub}_task-${r.task}_run-${String(r.run).padStart(2, '0')}`);
      rmSync(`${stem}_events.tsv`, { force: true });
      rmSync(`${stem}_bold.json`, { force: true });
    }
  }
  const trainingIds = runs.filter((r) => r.task === 'Training').flatMap((r) => r.clips);
  const testIds = runs.filter((r) => r.task === 'Test').flatMap((r) => r.clips).filter((id, i, a) => a.indexOf(id) === i);

  const fmriprepDir = join(root, 'derivatives', 'fmriprep');
  const freesurferDir = join(fmriprepDir, 'sourcedata', 'freesurfer');
  mkdirSync(fmriprepDir, { recursive: true });
  writeFileSync(join(fmriprepDir, 'dataset_description.json'), JSON.stringify({ Name: 'fMRIPrep - fMRI PREProcessing workflow', BIDSVersion: '1.4.0', DatasetType: 'derivative', GeneratedBy: [{ Name: 'fMRIPrep', Version: '23.2.1' }] }, null, 2));
  writeFileSync(join(fmriprepDir, 'desc-aparcaseg_dseg.tsv'), 'index\tname\n' + [...desikanLabels()].map(([k, v]) => `${k}\t${v}`).join('\n') + '\n');

  const layout = boldLayout();
  const [nx, ny, nz] = BOLD_DIMS;
  const nVox = nx * ny * nz;
  const dNames = destrieuxLabels();
  const dkNames = desikanLabels();
  const selected = (labels: Int32Array, names: Map<number, string>) => {
    const idx: number[] = [];
    for (let f = 0; f < nVox; f++) if (layout.mask[f] && names.has(labels[f])) idx.push(f);
    const voxelIndices = Int32Array.from(idx);
    const lab = Int32Array.from(idx, (f) => labels[f]);
    const used = new Map([...new Set(lab)].sort((a, b) => a - b).map((l) => [l, names.get(l)!] as [number, string]));
    return { voxelIndices, labels: lab, names: used };
  };
  const expected = { ...selected(layout.destrieux, dNames), maskVoxels: layout.mask.reduce((a, b) => a + b, 0) };
  const expectedDesikan = selected(layout.desikan, dkNames);
  const nameToId = new Map([...dNames].map(([k, v]) => [v, k]));
  const signalRois = FMRIPREP_SIGNAL_ROIS.map((s) => {
    const label = nameToId.get(s.name)!;
    return { ...s, label, voxels: Int32Array.from([...expected.voxelIndices].filter((f) => layout.destrieux[f] === label)) };
  });

  // Clip latents (genre offset + clip + per-scan variation), shared by all subjects.
  const g = normalStream(seed * 7919 + 1);
  const allIds = [...trainingIds, ...testIds];
  const genres = [...new Set(allIds.map((id) => id.split('.')[0]))].sort();
  const genreOffset = new Map(genres.map((gn) => [gn, Array.from({ length: dim }, () => 0.7 * g())]));
  const latent = new Map<string, Float64Array>();
  for (const id of [...new Set(raw.runs.flatMap((r) => [r.duplicate, ...r.clips]))]) {
    const off = genreOffset.get(id.split('.')[0]) ?? new Array<number>(dim).fill(0);
    const base = Array.from({ length: dim }, (_, d) => off[d] + g());
    const lat = new Float64Array(SCANS_PER_CLIP * dim);
    for (let s = 0; s < SCANS_PER_CLIP; s++) for (let d = 0; d < dim; d++) lat[s * dim + d] = base[d] + 0.4 * g();
    latent.set(id, lat);
  }
  // Voxel weights: signal ROIs map the latent to their voxels.
  const weights = new Float64Array(nVox * dim);
  for (const s of signalRois) for (const f of s.voxels) for (let d = 0; d < dim; d++) weights[f * dim + d] = (signalScale * s.amplitude * g()) / Math.sqrt(dim);
  const baseline = Float64Array.from({ length: nVox }, (_, f) => 900 + 200 * Math.abs(Math.sin(f * 0.37)));
  const motionGain = Float64Array.from({ length: nVox * 6 }, () => g());
  const noiseUnit = 10; // BOLD units per signal unit (noise sd 10)

  const file = (sub: string, task: 'Training' | 'Test', run: number, kind: 'bold' | 'mask' | 'confounds') => {
    const stem = join(fmriprepDir, sub, 'func', `${sub}_task-${task}_run-${String(run).padStart(2, '0')}`);
    if (kind === 'bold') return `${stem}_space-T1w_desc-preproc_bold.nii.gz`;
    if (kind === 'mask') return `${stem}_space-T1w_desc-brain_mask.nii.gz`;
    return `${stem}_desc-confounds_${opts.legacyConfoundsName ? 'regressors' : 'timeseries'}.tsv`;
  };

  const aparcAffine = liaAffine([BOLD_AFFINE[3] + 16.8 + shift[0], BOLD_AFFINE[7] + 19.9 + shift[1], BOLD_AFFINE[11] + 13.4 + shift[2]], APARC_DIMS);
  // aparcaseg: 1.5 mm LPS (i → -x, j → -y, k → +z), T1w space
  const aparcsegAffine = Float64Array.from([-1.5, 0, 0, BOLD_AFFINE[3] + 37.1, 0, -1.5, 0, BOLD_AFFINE[7] + 43.6, 0, 0, 1.5, BOLD_AFFINE[11] - 2.2, 0, 0, 0, 1]);
  for (const [si, sub] of subjects.entries()) {
    const noise = normalStream(seed * 104729 + 17 * si + 3);
    mkdirSync(join(fmriprepDir, sub, 'func'), { recursive: true });
    const anat = join(fmriprepDir, sub, 'anat');
    mkdirSync(anat, { recursive: true });
    for (const r of runs) {
      const order = [r.duplicate, ...r.clips];
      // motion: smooth random walks (mm, rad) with a few jumps
      const motion = new Float64Array(SCANS_PER_RUN * 6);
      const state = new Float64Array(6);
      for (let t = 0; t < SCANS_PER_RUN; t++) {
        for (let k = 0; k < 6; k++) {
          const scale = k < 3 ? 0.04 : 0.0007;
          state[k] = 0.97 * state[k] + scale * noise() + (t % 97 === 50 ? 10 * scale * noise() : 0);
          motion[t * 6 + k] = state[k];
        }
      }
      const data = new Float32Array(nVox * SCANS_PER_RUN);
      for (let t = 0; t < SCANS_PER_RUN; t++) {
        const drift = 0.02 * t + 3 * Math.sin((2 * Math.PI * t) / 300);
        const src = t - LAG_TR; // the clip heard LAG_TR scans earlier
        const lat = src >= 0 ? latent.get(order[Math.floor(src / SCANS_PER_CLIP)]) ?? null : null;
        const sIdx = src >= 0 ? src % SCANS_PER_CLIP : 0;
        for (let f = 0; f < nVox; f++) {
          let sig = 0;
          if (lat) for (let d = 0; d < dim; d++) sig += weights[f * dim + d] * lat[sIdx * dim + d];
          let art = 0;
          for (let k = 0; k < 6; k++) art += motionGain[f * 6 + k] * motion[t * 6 + k] * (k < 3 ? 400 : 20000);
          data[t * nVox + f] = baseline[f] + drift + noiseUnit * (sig + noise()) + motionScale * art;
        }
      }
      writeNifti(file(sub, r.task, r.run, 'bold'), { dims: [nx, ny, nz, SCANS_PER_RUN], data, affine: BOLD_AFFINE, pixDims: [3, 3, 3, TR] }, { level: 1 });
      writeNifti(file(sub, r.task, r.run, 'mask'), { dims: BOLD_DIMS, data: layout.mask, affine: BOLD_AFFINE });
      writeFileSync(file(sub, r.task, r.run, 'confounds'), confoundsTsv(motion, SCANS_PER_RUN, () => (noise() + 3) / 6));
    }
    // anatomical derivatives
    writeNifti(join(anat, `${sub}_desc-aparcaseg_dseg.nii.gz`), { dims: APARCSEG_DIMS, data: fill(APARCSEG_DIMS, aparcsegAffine, [0, 0, 0], layout.desikan), affine: aparcsegAffine });
    // ITK maps fixed (T1w) points to moving (fsnative) points, in LPS: fsnative = T1w + shift (RAS)
    writeFileSync(join(anat, `${sub}_from-fsnative_to-T1w_mode-image_xfm.txt`), `#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_float_3_3\nParameters: 1 0 0 0 1 0 0 0 1 ${-shift[0]} ${-shift[1]} ${shift[2]}\nFixedParameters: 0 0 0\n`);
    const mri = join(freesurferDir, sub, 'mri');
    mkdirSync(mri, { recursive: true });
    writeMgzWithNibabel(join(mri, 'aparc.a2009s+aseg.mgz'), fill(APARC_DIMS, aparcAffine, shift, layout.destrieux), APARC_DIMS, aparcAffine, join(mri, '.tmp'));
  }

  let embeddings: FmriprepFixture['embeddings'] = null;
  if (opts.embeddingsPath) {
    const W = WINDOW_STARTS.length;
    const out = new Float32Array(allIds.length * W * dim);
    allIds.forEach((id, c) => {
      const lat = latent.get(id)!;
      WINDOW_STARTS.forEach((start, w) => {
        const first = Math.round(start / TR);
        for (let d = 0; d < dim; d++) {
          let s = 0;
          for (let k = first; k < first + 7; k++) s += lat[k * dim + d];
          out[(c * W + w) * dim + d] = s / 7;
        }
      });
    });
    writeNpy(opts.embeddingsPath, out, [allIds.length, W, dim]);
    writeFileSync(opts.embeddingsPath.replace(/\.npy$/, '.json'), JSON.stringify({
      model: 'synthetic', version: 'fmriprep-fixture-1', dim, sampleRate: 22050, windowSec: 10, hopSec: 1.5, clipSec: 15,
      windowStarts: WINDOW_STARTS, clipIds: allIds,
    }));
    embeddings = { path: opts.embeddingsPath, nWindows: W, dim, clipIds: allIds };
  }
  return {
    root, fmriprepDir, freesurferDir, subjects,
    bold: { dims: BOLD_DIMS, affine: BOLD_AFFINE },
    aparc: { dims: APARC_DIMS, affine: aparcAffine },
    aparcaseg: { dims: APARCSEG_DIMS, affine: aparcsegAffine },
    fsnativeShift: shift,
    expected, expectedDesikan, signalRois, runs, trainingIds, testIds, embeddings, file,
  };
}

