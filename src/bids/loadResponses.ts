import { fail } from '../errors.ts';
import { maskToIndices, niftiAffine, readNiftiHeader, readNiftiMasked, readNiftiSync, readNpy } from '../io/index.ts';
import type { ParcellationChoice } from './fmriprep.ts';
import { loadFmriprep } from './loadFmriprep.ts';
import { derivativeSpace, readDsegNames, readLabelImage, readVoxelLabels } from './loadAtlas.ts';
import { parcellationOnGrid } from './parcellationOnGrid.ts';
import type { ConfoundsMode } from './readMotionConfounds.ts';
import { checkFinite, finishRun, testMeanFrom, testMeanOfRuns } from './responseRuns.ts';
import type { Atlas, Dataset, RunResponses, SubjectResponses, VoxelSpace } from './types.ts';
import { zscoreRun } from './zscoreRun.ts';

/** Where the 'fmriprep' source reads from (every field optional). */
export interface FmriprepOptions {
  /** The fMRIPrep output folder (default `<bids root>/derivatives/fmriprep`). */
  dir?: string;
  /**
   * Output space of the BOLD to read (default `T1w`): any `space-<label>` fMRIPrep wrote, e.g.
   * `MNI152NLin2009cAsym`, with a resolution as fMRIPrep spells it (`MNI152NLin2009cAsym:res-2`)
   * when there are several. Maps are written in this space's grid and affine. FreeSurfer
   * parcellations need `T1w`; other spaces need `atlasFile` (an atlas in that space).
   */
  space?: string;
  /** Motion regressors removed per run before detrending (default 'motion6'). */
  confounds?: ConfoundsMode;
  /** FreeSurfer subjects dir (default `<dir>/sourcedata/freesurfer`, then `<dir>/../freesurfer`). */
  freesurfer?: string;
  /** Parcellation when no `atlasFile` is given: 'auto' (default) Destrieux, else Desikan-Killiany; or force one. */
  parcellation?: ParcellationChoice;
}

export interface LoadResponsesOptions {
  /**
   * 'derivative': the authors' preprocessed arrays (`derivative/preprocessed_data/`);
   * 'raw': the BOLD runs, masked, detrended and z-scored here;
   * 'fmriprep': fMRIPrep's preprocessed BOLD (see `fmriprep`), motion regressed, detrended and
   *   z-scored here, voxels = brain mask ∩ cortical labels of a FreeSurfer parcellation or `atlasFile`;
   * 'auto' (default): derivative when its Training and Test arrays exist, else raw (never fmriprep).
   */
  source?: 'auto' | 'raw' | 'derivative' | 'fmriprep';
  /** The 'fmriprep' source's inputs. */
  fmriprep?: FmriprepOptions;
  /**
   * Raw and fmriprep: a label image (NIfTI or MGZ) in the BOLD's space (world coordinates), e.g. a
   * Destrieux atlas in MNI152NLin2009cAsym; resampled to the BOLD grid by nearest neighbour and
   * used instead of the atlas convention / FreeSurfer parcellation. FreeSurfer ids are read as
   * FreeSurfer (cortical labels only); any other atlas uses every label above 0. `{subject}` in
   * the path is replaced by the subject id (one atlas per subject, e.g. in each native BOLD space).
   */
  atlasFile?: string;
  /** Names for `atlasFile`'s labels: a TSV with `index` and `name` columns, or FreeSurferColorLUT-style text. */
  atlasNames?: string;
  /** Raw only: a NIfTI mask in BOLD space (non-zero = keep) instead of "atlas label > 0". */
  mask?: string;
  /** Raw only: subtract the 240 s running median per voxel, as the dataset did (default true). */
  detrend?: boolean;
  /** Z-score each run per voxel (default true; derivative arrays come z-scored already). */
  zscore?: boolean;
  /** 'required' (default): missing atlas files are an error; 'optional': labels all 0. */
  atlas?: 'required' | 'optional';
  /** Called after each run is loaded. */
  onProgress?: (done: number, total: number) => void;
}

/** Read a response array as rows × V float32, accepting the transposed V × rows layout too. */
function readResponseArray(path: string, rows: number): { data: Float32Array; nVoxels: number } {
  const arr = readNpy(path);
  if (arr.shape.length !== 2) fail('BAD_FILE', `${path}: shape [${arr.shape.join(', ')}], expected 2-D scans × voxels (${rows} × V).`);
  if (!(arr.data instanceof Float32Array || arr.data instanceof Float64Array)) fail('BAD_FILE', `${path}: dtype ${arr.dtype}; responses must be float32 or float64.`);
  const [a, b] = arr.shape;
  if (a === rows) return { data: arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data), nVoxels: b };
  if (b === rows) {
    // stored voxels × scans (as some copies of the dataset are): transpose once
    const out = new Float32Array(a * b);
    for (let v = 0; v < a; v++) for (let t = 0; t < b; t++) out[t * a + v] = arr.data[v * b + t];
    return { data: out, nVoxels: a };
  }
  return fail('MISMATCH', `${path}: shape [${a}, ${b}] but the events schedule gives ${rows} scans (runs × kept clips × scans per clip); the array and the events files do not match.`);
}

function atlasNames(files: Dataset['files'][string], required: boolean): Map<number, string> {
  if (files.atlas.dsegTsv) return readDsegNames(files.atlas.dsegTsv);
  if (required && (files.atlas.dseg || files.atlas.voxelLabels)) fail('NOT_FOUND', `atlas labels of ${files.subject} have no names: add ${files.subject}_space-bold_dseg.tsv (columns index, name) next to them.`);
  return new Map();
}

async function loadDerivative(ds: Dataset, subject: string, opts: LoadResponsesOptions): Promise<Omit<SubjectResponses, 'subject' | 'tr' | 'presentations' | 'source'>> {
  const files = ds.files[subject];
  const runs: RunResponses[] = [];
  let nVoxels = -1;
  let voxelFile = '';
  const total = ds.schedule.length;
  for (const task of ['Training', 'Test'] as const) {
    const path = task === 'Training' ? files.derivative.training : files.derivative.test;
    if (path === null) fail('NOT_FOUND', `${subject}: derivative/preprocessed_data/${subject}_Resp_${task}.npy is missing; use source 'raw' or add the file.`);
    const sched = ds.schedule.filter((s) => s.task === task);
    const perRun = sched.map((s) => s.nScansInFile - s.trimmedScans);
    const rows = perRun.reduce((a, b) => a + b, 0);
    const arr = readResponseArray(path, rows);
    if (nVoxels >= 0 && arr.nVoxels !== nVoxels) fail('MISMATCH', `${path} has ${arr.nVoxels} voxels but ${voxelFile} has ${nVoxels}; the arrays of one subject must share their voxels.`);
    nVoxels = arr.nVoxels;
    voxelFile = path;
    checkFinite(arr.data, nVoxels, path);
    let row = 0;
    sched.forEach((s, i) => {
      const data = arr.data.subarray(row * nVoxels, (row + perRun[i]) * nVoxels);
      row += perRun[i];
      if (opts.zscore ?? true) zscoreRun(data, perRun[i], nVoxels);
      runs.push({ task, run: s.run, nScans: perRun[i], data });
      opts.onProgress?.(runs.length, total);
    });
  }
  const testClips = ds.clips.filter((c) => c.split === 'test').map((c) => c.id);
  const spc = ds.schedule[0].scansPerClip;
  let testMean: SubjectResponses['testMean'] = null;
  if (files.derivative.testMean) {
    const arr = readResponseArray(files.derivative.testMean, testClips.length * spc);
    if (arr.nVoxels !== nVoxels) fail('MISMATCH', `${files.derivative.testMean} has ${arr.nVoxels} voxels but ${voxelFile} has ${nVoxels}; the arrays of one subject must share their voxels.`);
    checkFinite(arr.data, nVoxels, files.derivative.testMean);
    testMean = { clipIds: testClips, scansPerClip: spc, data: arr.data };
  } else if (testClips.length > 0) {
    testMean = { clipIds: testClips, scansPerClip: spc, data: testMeanFrom(runs, ds.schedule.flatMap((s) => s.presentations), testClips, spc, nVoxels) };
  }
  const required = (opts.atlas ?? 'required') === 'required';
  let labels: Int32Array;
  if (files.atlas.voxelLabels) labels = readVoxelLabels(files.atlas.voxelLabels, nVoxels, voxelFile);
  else if (required) {
    fail('NOT_FOUND', `${subject}: no per-voxel atlas labels for the derivative arrays: expected ${ds.root}/derivatives/atlas/${subject}/${subject}_desc-voxels_labels.npy (int32, ${nVoxels} labels) and ${subject}_space-bold_dseg.tsv. See README "Atlas files", or pass atlas: 'optional'.`);
  } else labels = new Int32Array(nVoxels);
  const atlas: Atlas = { labels, names: atlasNames(files, required) };
  return { nVoxels, runs, atlas, space: derivativeSpace(files.atlas, nVoxels), testMean };
}

/** The voxels a raw-BOLD load reads, their labels and names, and the grid they were defined on. */
interface RawSelection {
  voxelIndices: Int32Array;
  labels: Int32Array;
  names: Map<number, string>;
  dims: number[];
  affine: Float64Array;
  source: string;
  provenance?: SubjectResponses['provenance'];
}

/** Voxels from the dataset's atlas convention (derivatives/atlas/…_space-bold_dseg) or a mask. */
function conventionSelection(ds: Dataset, subject: string, opts: LoadResponsesOptions): RawSelection {
  const files = ds.files[subject];
  const required = (opts.atlas ?? 'required') === 'required';
  const labelImg = files.atlas.dseg ? readLabelImage(files.atlas.dseg) : null;
  let maskImg = labelImg;
  if (opts.mask) maskImg = readNiftiSync(opts.mask);
  else if (labelImg === null) {
    fail('NOT_FOUND', `${subject}: no voxel selection for raw runs: expected the label image ${ds.root}/derivatives/atlas/${subject}/${subject}_space-bold_dseg.nii.gz (0 = outside cortex), pass a mask, or pass an atlas in the BOLD's space (atlasFile).`);
  }
  if (labelImg === null && required) fail('NOT_FOUND', `${subject}: no atlas label image ${ds.root}/derivatives/atlas/${subject}/${subject}_space-bold_dseg.nii.gz; add it, pass an atlas in the BOLD's space (atlasFile), or pass atlas: 'optional'.`);
  const maskSource = opts.mask ?? (files.atlas.dseg as string);
  const m = maskImg as NonNullable<typeof maskImg>;
  if (labelImg && opts.mask && labelImg.dims.slice(0, 3).join('×') !== m.dims.slice(0, 3).join('×')) {
    fail('MISMATCH', `mask ${opts.mask} is ${m.dims.slice(0, 3).join('×')} but labels ${files.atlas.dseg} are ${labelImg.dims.slice(0, 3).join('×')}; both must be in BOLD space.`);
  }
  const voxelIndices = maskToIndices(m.data.subarray(0, m.dims.slice(0, 3).reduce((a, b) => a * b, 1)));
  const nVoxels = voxelIndices.length;
  if (nVoxels === 0) fail('BAD_INPUT', `${maskSource}: the mask selects no voxel.`);
  const labels = new Int32Array(nVoxels);
  if (labelImg) for (let v = 0; v < nVoxels; v++) labels[v] = labelImg.data[voxelIndices[v]];
  return { voxelIndices, labels, names: atlasNames(files, required), dims: m.dims, affine: m.affine, source: maskSource };
}

/** Voxels from a user's label image resampled to the first BOLD run's grid (within `mask` when given). */
async function userAtlasSelection(ds: Dataset, subject: string, opts: LoadResponsesOptions, atlasFile: string): Promise<RawSelection> {
  const first = ds.files[subject].runs.find((r) => r.bold !== null)?.bold ?? null;
  if (first === null) fail('NOT_FOUND', `${subject}: no BOLD run under ${ds.root}/${subject}/func/ to resample the atlas ${atlasFile} onto.`);
  const h = await readNiftiHeader(first);
  const dims = h.dims.slice(0, 3);
  const affine = niftiAffine(h);
  let maskIdx: Int32Array;
  if (opts.mask) {
    const m = readNiftiSync(opts.mask);
    if (m.dims.slice(0, 3).join('×') !== dims.join('×')) fail('MISMATCH', `mask ${opts.mask} is ${m.dims.slice(0, 3).join('×')} but the BOLD ${first} is ${dims.join('×')}; the mask must be in the BOLD's grid.`);
    maskIdx = maskToIndices(m.data.subarray(0, dims[0] * dims[1] * dims[2]));
  } else maskIdx = Int32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => i);
  const source = { kind: 'user' as const, file: atlasFile, transform: null, names: opts.atlasNames ?? null };
  const p = parcellationOnGrid(source, { dims, affine, source: first }, maskIdx);
  return {
    voxelIndices: p.voxelIndices, labels: p.labels, names: p.names, dims, affine, source: atlasFile,
    provenance: { parcellation: source, nMaskVoxels: p.nMaskVoxels, nInsideGrid: p.nInsideGrid, nVoxels: p.voxelIndices.length },
  };
}

async function loadRaw(ds: Dataset, subject: string, opts: LoadResponsesOptions): Promise<Omit<SubjectResponses, 'subject' | 'tr' | 'presentations' | 'source'>> {
  const files = ds.files[subject];
  const sel = opts.atlasFile ? await userAtlasSelection(ds, subject, opts, opts.atlasFile) : conventionSelection(ds, subject, opts);
  const { voxelIndices, labels } = sel;
  const nVoxels = voxelIndices.length;
  const runs: RunResponses[] = [];
  let space: VoxelSpace | null = null;
  for (const s of ds.schedule) {
    const rf = files.runs.find((r) => r.task === s.task && r.run === s.run);
    const bold = rf?.bold ?? null;
    if (bold === null) fail('NOT_FOUND', `${subject}: no BOLD file for task-${s.task} run-${String(s.run).padStart(2, '0')} (expected ${ds.root}/${subject}/func/${subject}_task-${s.task}_run-${String(s.run).padStart(2, '0')}_bold.nii[.gz]); use the derivative arrays or add the run.`);
    const shape = sel.dims.slice(0, 3).join('×');
    const img = await readNiftiMasked(bold, voxelIndices);
    if (img.dims.slice(0, 3).join('×') !== shape) fail('MISMATCH', `${bold} has volumes of ${img.dims.slice(0, 3).join('×')} but ${sel.source} is ${shape}; the mask/labels must be in this BOLD space.`);
    if (img.nVolumes !== s.nScansInFile) {
      fail('MISMATCH', `${bold} has ${img.nVolumes} scans but ${s.eventsFile} describes ${s.nScansInFile} (last event end / TR ${ds.tr} s); the run and its events do not match.`);
    }
    if (space === null) {
      const diff = Math.max(...Array.from(img.affine, (x, i) => Math.abs(x - sel.affine[i])));
      if (diff > 1e-2) fail('MISMATCH', `${sel.source} and ${bold} have different affines (max difference ${diff.toFixed(3)}); resample the atlas/mask to BOLD space.`);
      space = { volumeShape: [img.dims[0], img.dims[1], img.dims[2]], affine: img.affine, voxelIndices };
    }
    checkFinite(img.data, nVoxels, bold);
    runs.push(finishRun(img.data, nVoxels, s, ds.tr, opts));
    opts.onProgress?.(runs.length, ds.schedule.length);
  }
  const body = { nVoxels, runs, atlas: { labels, names: sel.names }, space, testMean: testMeanOfRuns(ds, runs, nVoxels) };
  return sel.provenance ? { ...body, provenance: sel.provenance } : body;
}

/**
 * Load one subject's responses, run by run, z-scored per run, with the clip presentations
 * (duplicate first clips dropped), the atlas and the voxel space.
 *
 * Derivative arrays: `Resp_Training` rows are the training runs back to back, each the run's
 * kept scans (400 = 40 clips × 10 in ds003720); `Resp_Test` likewise for the test runs (6 × 400);
 * `Resp_Test_Mean` (60 clips × 10 scans, clips in first-presentation order) becomes `testMean`.
 * A V × rows array is accepted and transposed. Raw runs: voxels where the atlas label is > 0 (or
 * the given mask), running-median detrended over the whole run, then the duplicate first clip's
 * scans cut, then z-scored. fMRIPrep: the same after regressing the motion confounds out
 * of each run (see `loadFmriprep`). Every mismatch (scan counts, voxel counts, label sizes, NaNs) is an
 * error naming the file.
 *
 * @example const resp = await loadResponses(openDataset(root), 'sub-001'); resp.runs.length // 18
 */
export async function loadResponses(ds: Dataset, subject: string, opts: LoadResponsesOptions = {}): Promise<SubjectResponses> {
  if (!ds.subjects.includes(subject)) fail('NOT_FOUND', `subject ${subject} is not in ${ds.root} (subjects: ${ds.subjects.join(', ')}).`);
  const files = ds.files[subject];
  let source = opts.source ?? 'auto';
  if (!['auto', 'raw', 'derivative', 'fmriprep'].includes(source)) fail('BAD_INPUT', `source '${source}' is not one of auto, raw, derivative, fmriprep.`);
  if (source === 'auto') source = files.derivative.training && files.derivative.test ? 'derivative' : 'raw';
  if (opts.atlasNames && !opts.atlasFile) fail('BAD_INPUT', `atlas names ${opts.atlasNames} were given without an atlas file; pass the label image they name (--atlas FILE).`);
  // `{subject}` in an atlas path names each subject's own file (an atlas in each subject's BOLD space).
  if (opts.atlasFile?.includes('{subject}')) opts = { ...opts, atlasFile: opts.atlasFile.replaceAll('{subject}', subject), atlasNames: opts.atlasNames?.replaceAll('{subject}', subject) };
  if (opts.atlasFile && source === 'derivative') fail('BAD_INPUT', `an atlas file (${opts.atlasFile}) cannot be used with the derivative arrays: they carry no voxel coordinates to resample it onto. Use source raw or fmriprep.`);
  const body = source === 'derivative' ? await loadDerivative(ds, subject, opts) : source === 'fmriprep' ? await loadFmriprep(ds, subject, opts) : await loadRaw(ds, subject, opts);
  return { subject, tr: ds.tr, source, presentations: ds.schedule.flatMap((s) => s.presentations), ...body };
}
