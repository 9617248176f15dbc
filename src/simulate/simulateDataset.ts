import { join } from 'node:path';
import { writeJsonAtomic, writeNifti, writeNpy, writeTsv } from '../io/index.ts';
import { type Arrangement, ACOUSTIC_FEATURES, renderClips, sampleArrangement } from '../music/index.ts';
import { buildAtlas, type SimAtlas } from './brain/atlas.ts';
import { cOrderIndices, cortexWithVoxels, sampleAnatomy, type Cortex } from './brain/cortex.ts';
import { musicalFeatureNames, musicalFeatures } from './brain/musicalFeatures.ts';
import { runDesign } from './brain/runDesign.ts';
import { preprocessRun, simulateRun } from './brain/simulateRun.ts';
import { buildSubjectModel, type SubjectModel } from './brain/subjectModel.ts';
import { validateConfig, type SimulationConfig } from './config.ts';
import { createRng, deriveSeed, hashString } from '../linalg/index.ts';
import { buildSchedule, type RunSchedule, type Schedule } from './schedule.ts';
import { ARRANGEMENT_COLUMNS, arrangementRow, prepareClipFolder } from './stimulusFiles.ts';

/** Progress and messages from a long simulation. */
export interface SimulationHooks {
  onProgress?: (task: string, done: number, total: number) => void;
  info?: (line: string) => void;
  /** Worker threads for rendering (default: all cores). */
  workers?: number;
  /** Called when the stimuli are rendered and the rest (the brain model) runs on this thread alone. */
  onStimuliRendered?: () => void;
}

export interface SimulationSummary {
  out: string;
  subjects: { id: string; voxels: number }[];
  clips: number;
  runs: number;
  scansPerRun: number;
  renderedClips: number;
  seconds: { render: number; brain: number };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const subjectId = (s: number): string => `sub-${String(s).padStart(3, '0')}`;
/** Numbers in events.tsv as pandas writes floats: '0.0', '15.0', '1.5'. */
const num = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/** The arrangement of a dataset clip: its own seeded stream, so clips do not depend on each other. */
export function stimulusArrangement(seed: number, id: string, genre: Arrangement['genre'], clipSec: number): Arrangement {
  return sampleArrangement(genre, createRng(deriveSeed(seed, 1, hashString(id))), { durationSec: clipSec });
}

function zscoreColumns(data: Float64Array, cols: number): void {
  const rows = data.length / cols;
  for (let c = 0; c < cols; c++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += data[r * cols + c];
    m /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (data[r * cols + c] - m) ** 2;
    const sd = Math.sqrt(v / rows);
    for (let r = 0; r < rows; r++) data[r * cols + c] = sd > 1e-12 ? (data[r * cols + c] - m) / sd : 0;
  }
}

/**
 * simulateDataset(out, config, hooks) → writes a complete simulated Music Genre fMRI dataset in
 * the ds003720 layout (see README "The simulated dataset"): stimuli (rendered WAVs, parameters,
 * features), per subject BOLD runs (if `config.raw`), events and `_bold.json`, derivative
 * response arrays, a Destrieux-like atlas and the ground truth. Deterministic in `config`;
 * rendering resumes (existing WAVs with matching parameters are kept).
 */
export async function simulateDataset(out: string, config: SimulationConfig, hooks: SimulationHooks = {}): Promise<SimulationSummary> {
  validateConfig(config);
  const progress = hooks.onProgress ?? (() => {});
  const info = hooks.info ?? (() => {});
  const schedule = buildSchedule({ genres: config.genres, trainPerGenre: config.trainPerGenre, testPerGenre: config.testPerGenre, testReps: config.testReps, seed: config.seed });
  const spc = Math.round(config.clipSec / config.tr);
  const clipsPerRun = schedule.runs[0].clipIds.length;
  const nScans = clipsPerRun * spc;

  // --- stimuli: arrangements, audio, features
  const t0 = performance.now();
  const stimDir = join(out, 'stimuli');
  const arrangements = new Map<string, Arrangement>();
  for (const c of schedule.clips) arrangements.set(c.id, stimulusArrangement(config.seed, c.id, c.genre, config.clipSec));
  prepareClipFolder(join(stimDir, 'params.json'), stimDir, { version: 1, sampleRate: config.sampleRate, clips: Object.fromEntries(arrangements) });
  writeTsv(join(stimDir, 'stimuli.tsv'), ['clip_id', 'genre', 'track', 'split', ...ARRANGEMENT_COLUMNS],
    schedule.clips.map((c) => ({ clip_id: c.id, genre: c.genre, track: c.track, split: c.split, ...arrangementRow(arrangements.get(c.id)!) })));
  const jobs = schedule.clips.map((c) => ({ path: join(stimDir, `${c.id}.wav`), arrangement: arrangements.get(c.id)! }));
  const rendered = await renderClips(jobs, {
    sampleRate: config.sampleRate, featureSegmentSec: config.tr, workers: hooks.workers, onProgress: (d, t) => progress('render stimuli', d, t),
  });
  const renderSec = (performance.now() - t0) / 1000;
  info(`stimuli: ${jobs.length} clips (${rendered.filter((r) => r.rendered).length} rendered) in ${renderSec.toFixed(1)} s`);
  hooks.onStimuliRendered?.();

  const t1 = performance.now();
  const FA = ACOUSTIC_FEATURES.length;
  const musicalNames = musicalFeatureNames(config.genres);
  const FM = musicalNames.length;
  const nClips = schedule.clips.length;
  const acoustic = new Float64Array(nClips * spc * FA);
  const musical = new Float64Array(nClips * FM);
  const clipIndex = new Map<string, number>();
  schedule.clips.forEach((c, i) => {
    clipIndex.set(c.id, i);
    const r = rendered[i];
    for (let s = 0; s < spc; s++) for (let f = 0; f < FA; f++) acoustic[(i * spc + s) * FA + f] = r.features[Math.min(s, r.segments - 1) * FA + f];
    musical.set(musicalFeatures(arrangements.get(c.id)!, config.genres), i * FM);
  });
  writeNpy(join(stimDir, 'acoustic_features.npy'), Float32Array.from(acoustic), [nClips, spc, FA]);
  writeNpy(join(stimDir, 'musical_features.npy'), Float32Array.from(musical), [nClips, FM]);
  zscoreColumns(acoustic, FA);
  zscoreColumns(musical, FM);

  // --- design per run (shared by all subjects): acoustic then musical features, HRF-convolved
  const F = FA + FM;
  const featureNames = [...ACOUSTIC_FEATURES, ...musicalNames];
  const designs = schedule.runs.map((run) => {
    const a = runDesign(run.clipIds, (id) => ({ segments: spc, data: acoustic.subarray(clipIndex.get(id)! * spc * FA, (clipIndex.get(id)! + 1) * spc * FA) }), { tr: config.tr, clipSec: config.clipSec, nScans, nFeatures: FA });
    const m = runDesign(run.clipIds, (id) => ({ segments: 1, data: musical.subarray(clipIndex.get(id)! * FM, (clipIndex.get(id)! + 1) * FM) }), { tr: config.tr, clipSec: config.clipSec, nScans, nFeatures: FM });
    const d = new Float64Array(nScans * F);
    for (let t = 0; t < nScans; t++) {
      for (let f = 0; f < FA; f++) d[t * F + f] = a[t * FA + f];
      for (let f = 0; f < FM; f++) d[t * F + FA + f] = m[t * FM + f];
    }
    return d;
  });
  const stacked = new Float64Array(designs.length * nScans * F);
  designs.forEach((d, r) => stacked.set(d, r * nScans * F));
  zscoreColumns(stacked, F);
  designs.forEach((d, r) => d.set(stacked.subarray(r * nScans * F, (r + 1) * nScans * F)));
  const gtDir = join(out, 'derivatives', 'ground_truth');
  schedule.runs.forEach((run, r) => writeNpy(join(gtDir, 'design', `task-${run.task}_run-${pad2(run.run)}_desc-truth_design.npy`), Float32Array.from(designs[r]), [nScans, F]));
  writeJsonAtomic(join(gtDir, 'truth.json'), truthDescription(config, featureNames, FA, nScans, spc, schedule));

  // --- subjects
  const subjects: SimulationSummary['subjects'] = [];
  for (let s = 1; s <= config.subjects; s++) {
    const id = subjectId(s);
    const rng = createRng(deriveSeed(config.seed, 2, s));
    const target = Math.round(config.targetVoxels * rng.uniform(0.9, 1.1));
    const cortex = cortexWithVoxels(sampleAnatomy(rng, 2.5 * config.voxelMm), config.voxelMm, target);
    const atlas = buildAtlas(cortex, rng);
    const model = buildSubjectModel(atlas, stacked, F, FA, config.snr, rng);
    const V = cortex.voxels.length;
    subjects.push({ id, voxels: V });
    writeAtlas(out, id, cortex, atlas, model);
    writeSubjectTruth(gtDir, id, model, atlas, featureNames);
    const keep = nScans - spc;
    const trainRuns = schedule.runs.filter((r) => r.task === 'Training');
    const testRuns = schedule.runs.filter((r) => r.task === 'Test');
    const respTrain = new Float32Array(trainRuns.length * keep * V);
    const respTest = new Float32Array(testRuns.length * keep * V);
    const testOrder: string[] = [];
    for (const r of testRuns) for (const cid of r.clipIds.slice(1)) if (!testOrder.includes(cid)) testOrder.push(cid);
    const testMean = new Float32Array(testOrder.length * spc * V);
    const testMeanAcc = new Float64Array(testOrder.length * spc * V);
    const testCount = new Int32Array(testOrder.length);
    let iTrain = 0;
    let iTest = 0;
    for (let r = 0; r < schedule.runs.length; r++) {
      const run = schedule.runs[r];
      progress(`${id} runs`, r, schedule.runs.length);
      const data = simulateRun(model, designs[r], nScans, createRng(deriveSeed(config.seed, 3, s, r)));
      writeRunFiles(out, id, run, data, cortex, nScans, config);
      const z = preprocessRun(data, nScans, V);
      const kept = z.subarray(spc * V);
      if (run.task === 'Training') respTrain.set(kept, (iTrain++) * keep * V);
      else {
        respTest.set(kept, (iTest++) * keep * V);
        run.clipIds.slice(1).forEach((cid, p) => {
          const k = testOrder.indexOf(cid);
          testCount[k]++;
          const src = (p + 1) * spc * V;
          const dst = k * spc * V;
          for (let i = 0; i < spc * V; i++) testMeanAcc[dst + i] += z[src + i];
        });
      }
    }
    progress(`${id} runs`, schedule.runs.length, schedule.runs.length);
    for (let k = 0; k < testOrder.length; k++) for (let i = 0; i < spc * V; i++) testMean[k * spc * V + i] = testMeanAcc[k * spc * V + i] / testCount[k];
    const deriv = join(out, 'derivative', 'preprocessed_data');
    writeNpy(join(deriv, `${id}_Resp_Training.npy`), respTrain, [trainRuns.length * keep, V]);
    writeNpy(join(deriv, `${id}_Resp_Test.npy`), respTest, [testRuns.length * keep, V]);
    writeNpy(join(deriv, `${id}_Resp_Test_Mean.npy`), testMean, [testOrder.length * spc, V]);
    info(`${id}: ${V} cortical voxels, ${schedule.runs.length} runs`);
  }
  writeJsonAtomic(join(out, 'dataset_description.json'), {
    Name: 'brain2music simulated Music Genre fMRI dataset',
    BIDSVersion: '1.4.0',
    DatasetType: 'raw',
    License: 'CC0',
    GeneratedBy: [{ Name: 'brain2music simulate', Description: 'Rendered General MIDI arrangements (FluidR3Mono) and a ground-truth voxel encoding model' }],
  });
  writeJsonAtomic(join(out, 'simulation.json'), { version: 1, config });
  const brainSec = (performance.now() - t1) / 1000;
  return { out, subjects, clips: nClips, runs: schedule.runs.length, scansPerRun: nScans, renderedClips: rendered.filter((r) => r.rendered).length, seconds: { render: renderSec, brain: brainSec } };
}

function writeRunFiles(out: string, id: string, run: RunSchedule, data: Int16Array, cortex: Cortex, nScans: number, config: SimulationConfig): void {
  const func = join(out, id, 'func');
  const stem = `${id}_task-${run.task}_run-${pad2(run.run)}`;
  const rows = run.clipIds.map((cid, k) => {
    const [genre, track] = cid.split('.');
    return { onset: num(k * config.clipSec), duration: num(config.clipSec), genre: `'${genre}'`, track: Number(track), start: num(0), end: num(config.clipSec) };
  });
  writeTsv(join(func, `${stem}_events.tsv`), ['onset', 'duration', 'genre', 'track', 'start', 'end'], rows);
  writeJsonAtomic(join(func, `${stem}_bold.json`), { RepetitionTime: config.tr, TaskName: run.task, SkullStripped: false });
  if (!config.raw) return;
  const [nx, ny, nz] = cortex.shape;
  const nVox = nx * ny * nz;
  const V = cortex.voxels.length;
  const vol = new Int16Array(nVox * nScans);
  for (let t = 0; t < nScans; t++) {
    const base = t * nVox;
    const row = t * V;
    for (let v = 0; v < V; v++) vol[base + cortex.voxels[v]] = data[row + v];
  }
  const m = cortex.voxelMm;
  writeNifti(join(func, `${stem}_bold.nii.gz`), { dims: [nx, ny, nz, nScans], data: vol, affine: cortex.affine, pixDims: [m, m, m, config.tr], header: { xyztUnits: 2 | 8, descrip: 'brain2music simulated BOLD' } }, { level: 1 });
}

function writeAtlas(out: string, id: string, cortex: Cortex, atlas: SimAtlas, model: SubjectModel): void {
  const dir = join(out, 'derivatives', 'atlas', id);
  const [nx, ny, nz] = cortex.shape;
  const label = new Int16Array(nx * ny * nz);
  const ref = new Float32Array(nx * ny * nz);
  for (let v = 0; v < cortex.voxels.length; v++) {
    label[cortex.voxels[v]] = atlas.labels[v];
    ref[cortex.voxels[v]] = model.baseline[v];
  }
  writeNifti(join(dir, `${id}_space-bold_dseg.nii.gz`), { dims: [nx, ny, nz], data: label, affine: cortex.affine, header: { xyztUnits: 2, descrip: 'Destrieux-like simulated atlas' } });
  writeNifti(join(dir, `${id}_space-bold_ref.nii.gz`), { dims: [nx, ny, nz], data: ref, affine: cortex.affine, header: { xyztUnits: 2, descrip: 'mean BOLD intensity' } });
  writeTsv(join(dir, `${id}_space-bold_dseg.tsv`), ['index', 'name'], [...atlas.names].sort((a, b) => a[0] - b[0]).map(([index, name]) => ({ index, name })));
  writeNpy(join(dir, `${id}_desc-voxels_labels.npy`), atlas.labels, [atlas.labels.length]);
  writeNpy(join(dir, `${id}_desc-voxels_indices.npy`), cOrderIndices(cortex), [cortex.voxels.length]);
}

function writeSubjectTruth(gtDir: string, id: string, model: SubjectModel, atlas: SimAtlas, featureNames: string[]): void {
  const dir = join(gtDir, id);
  const V = atlas.labels.length;
  writeNpy(join(dir, `${id}_desc-weights.npy`), model.weights, [model.nFeatures, V]);
  writeNpy(join(dir, `${id}_desc-snr_voxels.npy`), model.snr, [V]);
  const counts = new Map<number, number>();
  for (const l of atlas.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const describe = (ids: number[]) => ids.map((i) => ({ index: i, name: atlas.names.get(i), voxels: counts.get(i) ?? 0 }));
  writeJsonAtomic(join(dir, `${id}_truth.json`), {
    subject: id,
    voxels: V,
    features: featureNames,
    acousticFeatures: featureNames.slice(0, model.nAcoustic),
    musicalFeatures: featureNames.slice(model.nAcoustic),
    informativeRois: { acoustic: describe(model.rois.auditory), musical: describe(model.rois.higher) },
    informativeVoxels: model.informative.length,
    subjectSnrFactor: Number(model.subjectSnrFactor.toFixed(6)),
    noise: {
      unitPercentSignalChange: model.unitPct,
      arCoefficientRange: [0.2, 0.5],
      physiologicalSources: model.physComponents,
      physiologicalLoadingSd: 0.25,
      driftCoefficientSd: model.driftSd,
      driftBasis: 'linear trend + cosines of period 2·run and 1·run, per voxel and run',
    },
    files: { weights: `${id}_desc-weights.npy (features × voxels, float32)`, snr: `${id}_desc-snr_voxels.npy (voxels; 0 = no signal)` },
  });
}

function truthDescription(config: SimulationConfig, featureNames: string[], FA: number, nScans: number, spc: number, schedule: Schedule): unknown {
  return {
    model: 'BOLD = baseline · (1 + 0.4 % · (design · weights + AR(1) noise + physiological noise + drift)); derivative = drift removed (linear + 2 slowest cosines), z-scored per run, duplicate first clip dropped',
    hrf: { kind: 'canonical double gamma (SPM)', peakShape: 6, undershootShape: 16, undershootRatio: 1 / 6, lengthSec: 32, dtSec: config.tr / 10, sampledAt: 'scan onset t·TR' },
    tr: config.tr,
    scansPerRun: nScans,
    scansPerClip: spc,
    features: featureNames,
    acousticFeatures: featureNames.slice(0, FA),
    musicalFeatures: featureNames.slice(FA),
    featureNormalisation: 'clip features z-scored over all stimuli, convolved, then design columns z-scored over all runs',
    snr: { definition: 'variance of signal / variance of noise per informative voxel, over all runs', ...config.snr },
    designFiles: schedule.runs.map((r) => `design/task-${r.task}_run-${pad2(r.run)}_desc-truth_design.npy`),
    schedule: schedule.runs.map((r) => ({ task: r.task, run: r.run, clips: r.clipIds })),
  };
}
