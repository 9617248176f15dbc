import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { DEFAULT_LIBRARY, PRESETS, simulateDataset, simulateLibrary, type SimulationConfig } from '../../simulate/index.ts';
import { runLayout } from '../runLayout.ts';
import type { RunConfig, SimulatedDatasetConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { progressByTask } from './stageProgress.ts';

/** The simulator's configuration for a run: the preset with the run configuration's overrides. */
export function simulationConfig(c: SimulatedDatasetConfig['simulate']): { dataset: SimulationConfig; library: number } {
  const base = PRESETS[c.preset];
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
    if (bad) fail('BAD_INPUT', `dataset.simulate.genres: '${bad}' is not a simulated genre; use some of ${known.join(', ')}.`);
    dataset.genres = c.genres as SimulationConfig['genres'];
  }
  return { dataset, library: c.library ?? DEFAULT_LIBRARY[c.preset] };
}

function simulated(config: RunConfig): SimulatedDatasetConfig['simulate'] | undefined {
  return 'simulate' in config.dataset ? config.dataset.simulate : undefined;
}

/**
 * simulate: renders the simulated Music Genre fMRI dataset into `RUN/dataset` (ds003720 layout,
 * stimuli, ground truth) and its music library into `RUN/dataset/library`. Skipped when the
 * configuration names a real dataset.
 */
export const simulateStage: Stage = {
  name: 'simulate',
  title: 'simulate the dataset: render the music, model the brain responses',
  needs: [],
  plan(ctx) {
    const sim = simulated(ctx.config);
    if (!sim) return { skip: 'the configuration names a dataset (dataset.bids)' };
    return { inputs: [], outputs: [runLayout.dataset], params: simulationConfig(sim) };
  },
  async run(ctx) {
    const { dataset, library } = simulationConfig(simulated(ctx.config)!);
    const out = join(ctx.outDir, runLayout.dataset);
    const onProgress = progressByTask(ctx);
    const s = await simulateDataset(out, dataset, { onProgress, info: (line) => ctx.ui.info(`simulate: ${line}`) });
    let libraryClips = 0;
    if (library > 0) {
      const lib = await simulateLibrary(join(out, 'library'), { size: library, seed: dataset.seed, genres: dataset.genres, onProgress: (d, t) => onProgress('render library', d, t) });
      libraryClips = lib.clips;
    }
    return {
      subjects: s.subjects.map((x) => x.id),
      voxels: s.subjects.map((x) => x.voxels),
      clips: s.clips,
      runs: s.runs,
      libraryClips,
      renderSeconds: Number(s.seconds.render.toFixed(1)),
      brainSeconds: Number(s.seconds.brain.toFixed(1)),
    };
  },
};
