import { fail } from '../errors.ts';
import { maskToIndices, readNiftiMasked, readNiftiSync, readNpy } from '../io/index.ts';
import { detrendRunningMedian, medianWindowScans } from './detrendRunningMedian.ts';
import { derivativeSpace, readDsegNames, readLabelImage, readVoxelLabels } from './loadAtlas.ts';
import type { Atlas, Dataset, Presentation, RunResponses, RunSchedule, SubjectResponses, VoxelSpace } from './types.ts';
import { zscoreRun } from './zscoreRun.ts';

export interface LoadResponsesOptions {
  /**
   * 'derivative': the authors' preprocessed arrays (`derivative/preprocessed_data/`);
   * 'raw': the BOLD runs, masked, detrended and z-scored here;
   * 'auto' (default): derivative when its Training and Test arrays exist, else raw.
   */
  source?: 'auto' | 'raw' | 'derivative';
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

function hasNaN(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return i;
  return -1;
}

function checkFinite(data: Float32Array, nVoxels: number, file: string): void {
  const i = hasNaN(data);
  if (i >= 0) fail('BAD_FILE', `${file}: NaN at row ${Math.floor(i / nVoxels)}, voxel ${i % nVoxels}; responses must be finite. Remove or fill those voxels before loading.`);
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

function testMeanFrom(runs: RunResponses[], presentations: Presentation[], clipIds: string[], spc: number, nVoxels: number): Float32Array {
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

async function loadRaw(ds: Dataset, subject: string, opts: LoadResponsesOptions): Promise<Omit<SubjectResponses, 'subject' | 'tr' | 'presentations' | 'source'>> {
  const files = ds.files[subject];
  const required = (opts.atlas ?? 'required') === 'required';
  const labelImg = files.atlas.dseg ? readLabelImage(files.atlas.dseg) : null;
  let maskImg = labelImg;
  if (opts.mask) maskImg = readNiftiSync(opts.mask);
  else if (labelImg === null) {
    fail('NOT_FOUND', `${subject}: no voxel selection for raw runs: expected the label image ${ds.root}/derivatives/atlas/${subject}/${subject}_space-bold_dseg.nii.gz (0 = outside cortex), or pass a mask.`);
  }
  if (labelImg === null && required) fail('NOT_FOUND', `${subject}: no atlas label image ${ds.root}/derivatives/atlas/${subject}/${subject}_space-bold_dseg.nii.gz; add it or pass atlas: 'optional'.`);
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
  const runs: RunResponses[] = [];
  let space: VoxelSpace | null = null;
  const window = medianWindowScans(ds.tr);
  for (const s of ds.schedule) {
    const rf = files.runs.find((r) => r.task === s.task && r.run === s.run);
    const bold = rf?.bold ?? null;
    if (bold === null) fail('NOT_FOUND', `${subject}: no BOLD file for task-${s.task} run-${String(s.run).padStart(2, '0')} (expected ${ds.root}/${subject}/func/${subject}_task-${s.task}_run-${String(s.run).padStart(2, '0')}_bold.nii[.gz]); use the derivative arrays or add the run.`);
    const shape = m.dims.slice(0, 3).join('×');
    const img = await readNiftiMasked(bold, voxelIndices);
    if (img.dims.slice(0, 3).join('×') !== shape) fail('MISMATCH', `${bold} has volumes of ${img.dims.slice(0, 3).join('×')} but ${maskSource} is ${shape}; the mask/labels must be in this BOLD space.`);
    if (img.nVolumes !== s.nScansInFile) {
      fail('MISMATCH', `${bold} has ${img.nVolumes} scans but ${s.eventsFile} describes ${s.nScansInFile} (last event end / TR ${ds.tr} s); the run and its events do not match.`);
    }
    if (space === null) {
      const diff = Math.max(...Array.from(img.affine, (x, i) => Math.abs(x - m.affine[i])));
      if (diff > 1e-2) fail('MISMATCH', `${maskSource} and ${bold} have different affines (max difference ${diff.toFixed(3)}); resample the atlas/mask to BOLD space.`);
      space = { volumeShape: [img.dims[0], img.dims[1], img.dims[2]], affine: img.affine, voxelIndices };
    }
    checkFinite(img.data, nVoxels, bold);
    if (opts.detrend ?? true) detrendRunningMedian(img.data, img.nVolumes, nVoxels, window);
    const nScans = s.nScansInFile - s.trimmedScans;
    const data = img.data.slice(s.trimmedScans * nVoxels);
    if (opts.zscore ?? true) zscoreRun(data, nScans, nVoxels);
    runs.push({ task: s.task, run: s.run, nScans, data });
    opts.onProgress?.(runs.length, ds.schedule.length);
  }
  const testClips = ds.clips.filter((c) => c.split === 'test').map((c) => c.id);
  const spc = ds.schedule[0].scansPerClip;
  const testMean = testClips.length === 0 ? null : { clipIds: testClips, scansPerClip: spc, data: testMeanFrom(runs, ds.schedule.flatMap((x: RunSchedule) => x.presentations), testClips, spc, nVoxels) };
  return { nVoxels, runs, atlas: { labels, names: atlasNames(files, required) }, space, testMean };
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
 * scans cut, then z-scored. Every mismatch (scan counts, voxel counts, label sizes, NaNs) is an
 * error naming the file.
 *
 * @example const resp = await loadResponses(openDataset(root), 'sub-001'); resp.runs.length // 18
 */
export async function loadResponses(ds: Dataset, subject: string, opts: LoadResponsesOptions = {}): Promise<SubjectResponses> {
  if (!ds.subjects.includes(subject)) fail('NOT_FOUND', `subject ${subject} is not in ${ds.root} (subjects: ${ds.subjects.join(', ')}).`);
  const files = ds.files[subject];
  let source = opts.source ?? 'auto';
  if (!['auto', 'raw', 'derivative'].includes(source)) fail('BAD_INPUT', `source '${source}' is not one of auto, raw, derivative.`);
  if (source === 'auto') source = files.derivative.training && files.derivative.test ? 'derivative' : 'raw';
  const body = source === 'derivative' ? await loadDerivative(ds, subject, opts) : await loadRaw(ds, subject, opts);
  return { subject, tr: ds.tr, source, presentations: ds.schedule.flatMap((s) => s.presentations), ...body };
}
