import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { progressByTask, type Reporter } from '../../progress.ts';
import { DEFAULT_LIBRARY, PRESETS, simulateDataset, simulateLibrary, type SimulationConfig, type SimulationSummary } from '../../simulate/index.ts';
import type { SimulatedDatasetConfig } from '../runConfig.ts';

/** A simulated dataset: a preset and its overrides (`dataset.simulate` of a run, or `brain2music simulate`'s flags). */
export type SimulateSpec = SimulatedDatasetConfig['simulate'];

/** The simulator's configuration: the preset with the overrides. */
export function simulationConfig(c: SimulateSpec): { dataset: SimulationConfig; library: number } {
  const base = PRESETS[c.preset];
  if (!base) fail('BAD_INPUT', `unknown simulation preset '${c.preset}' (--preset, or "preset" in dataset.simulate); use one of ${Object.keys(PRESETS).join(', ')}.`);
  const dataset: SimulationConfig = { ...base };
  if (c.subjects !== undefined) dataset.subjects = c.subjects;
  if (c.seed !== undefined) dataset.seed = c.seed;
  if (c.trainPerGenre !== undefined) dataset.trainPerGenre = c.trainPerGenre;
  if (c.testPerGenre !== undefined) dataset.testPerGenre = c.testPerGenre;
  if (c.targetVoxels !== undefined) dataset.targetVoxels = c.targetVoxels;
  if (c.raw !== undefined) dataset.raw = c.raw;
  if (c.snr !== undefined) dataset.snr = { ...c.snr };
  if (c.genres !== undefined) {
    const known = base.genres as readonly string[];
    const bad = c.genres.find((g) => !known.includes(g));
    if (bad) fail('BAD_INPUT', `simulate genres: '${bad}' is not a simulated genre; use some of ${known.join(', ')}.`);
    dataset.genres = c.genres as SimulationConfig['genres'];
  }
  const library = c.library ?? DEFAULT_LIBRARY[c.preset];
  if (!Number.isInteger(library) || library < 0) fail('BAD_INPUT', `the simulated library size (--library, or "library" in dataset.simulate) must be a non-negative integer, got ${library}.`);
  return { dataset, library };
}

export interface SimulateJobResult {
  dataset: SimulationSummary;
  library: { clips: number; rendered: number; seconds: number } | null;
}

/**
 * The simulate stage's job, run by `brain2music simulate` and by the pipeline: the simulated
 * Music Genre fMRI dataset (ds003720 layout, rendered stimuli, ground truth) in `out`, and its
 * music library in `out/library`. An existing folder is resumed (rendered clips with the same
 * parameters are kept).
 */
export async function simulateJob(spec: SimulateSpec, out: string, reporter: Reporter, opts: { workers?: number } = {}): Promise<SimulateJobResult> {
  const { dataset: config, library: size } = simulationConfig(spec);
  reporter.info(`simulating the ${spec.preset} dataset into ${out}: ${config.subjects} subjects, ${config.genres.length} genres × (${config.trainPerGenre} training + ${config.testPerGenre} test) clips, about ${config.targetVoxels} voxels, seed ${config.seed}`);
  const onProgress = progressByTask(reporter);
  // The library renders while the brain model runs on this thread, once the stimuli (which need
  // every core) are rendered; the files do not depend on the order.
  let startLibrary!: () => void;
  const stimuliRendered = new Promise<void>((resolve) => { startLibrary = resolve; });
  const rendering = size > 0
    ? stimuliRendered.then(() => simulateLibrary(join(out, 'library'), { size, seed: config.seed, genres: config.genres, workers: opts.workers, onProgress: (d, t) => onProgress('render library', d, t) }))
    : Promise.resolve(null);
  const [dataset, library] = await Promise.all([
    simulateDataset(out, config, { workers: opts.workers, onProgress, info: (line) => reporter.info(line), onStimuliRendered: startLibrary }).then((d) => {
      reporter.info(`dataset written: stimuli ${d.seconds.render.toFixed(1)} s, brain ${d.seconds.brain.toFixed(1)} s`);
      return d;
    }),
    rendering.then((l) => {
      if (l) reporter.info(`library: ${l.clips} clips (${l.rendered} rendered) in ${l.seconds.toFixed(1)} s`);
      return l;
    }),
  ]);
  return { dataset, library };
}
