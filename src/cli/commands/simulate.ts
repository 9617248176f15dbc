import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { DEFAULT_LIBRARY, PRESETS, simulateDataset, simulateLibrary, type PresetName, type SimulationSummary } from '../../simulate/index.ts';
import type { CliUi } from '../ui.ts';

export interface SimulateOptions {
  /** Output folder (created; an existing one is resumed: rendered clips with the same parameters are kept). */
  out: string;
  preset?: PresetName;
  subjects?: number;
  seed?: number;
  /** Library clips (default: 500 demo, 5000 paper; 0 = none). */
  library?: number;
  /** Also write raw BOLD runs (the demo preset always does). */
  raw?: boolean;
  /** Render threads (default: all cores). */
  workers?: number;
}

export interface SimulateResult {
  dataset: SimulationSummary;
  library: { clips: number; rendered: number; seconds: number } | null;
}

/**
 * `brain2music simulate --out DIR [--preset demo|paper] [--subjects N] [--seed S] [--library N] [--raw]`:
 * writes the simulated Music Genre fMRI dataset (ds003720 layout + stimuli + ground truth) and a
 * music library under DIR/library.
 */
export async function runSimulate(opts: SimulateOptions, ui: CliUi): Promise<SimulateResult> {
  const preset = opts.preset ?? 'demo';
  if (!(preset in PRESETS)) fail('BAD_INPUT', `--preset '${preset}' is unknown; use one of ${Object.keys(PRESETS).join(', ')}.`);
  const config = { ...PRESETS[preset] };
  if (opts.subjects !== undefined) config.subjects = opts.subjects;
  if (opts.seed !== undefined) config.seed = opts.seed;
  if (opts.raw) config.raw = true;
  const librarySize = opts.library ?? DEFAULT_LIBRARY[preset];
  if (!Number.isInteger(librarySize) || librarySize < 0) fail('BAD_INPUT', `--library must be a non-negative integer, got ${librarySize}.`);
  ui.info(`simulating the ${preset} dataset into ${opts.out}: ${config.subjects} subjects, ${config.genres.length} genres × (${config.trainPerGenre} training + ${config.testPerGenre} test) clips, about ${config.targetVoxels} voxels, seed ${config.seed}`);
  const bars = new Map<string, ReturnType<CliUi['progress']>>();
  const dataset = await simulateDataset(opts.out, config, {
    workers: opts.workers,
    info: (line) => ui.info(line),
    onProgress: (task, done, total) => {
      let bar = bars.get(task);
      if (!bar) {
        bar = ui.progress(task);
        bars.set(task, bar);
      }
      bar.update(done, total);
      if (done === total) bar.end();
    },
  });
  ui.info(`dataset written: stimuli ${dataset.seconds.render.toFixed(1)} s, brain ${dataset.seconds.brain.toFixed(1)} s`);
  let library: SimulateResult['library'] = null;
  if (librarySize > 0) {
    const bar = ui.progress('render library');
    library = await simulateLibrary(join(opts.out, 'library'), {
      size: librarySize, seed: config.seed, genres: config.genres, workers: opts.workers, onProgress: (d, t) => bar.update(d, t),
    });
    bar.end();
    ui.info(`library: ${library.clips} clips (${library.rendered} rendered) in ${library.seconds.toFixed(1)} s`);
  }
  return { dataset, library };
}
