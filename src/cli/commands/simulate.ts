import { resolve } from 'node:path';
import { simulateJob, type SimulateJobResult, type SimulateSpec } from '../../pipeline/jobs/simulate.ts';
import type { PresetName } from '../../simulate/index.ts';
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
  genres?: string[];
  trainPerGenre?: number;
  testPerGenre?: number;
  /** Approximate cortical voxels per subject. */
  voxels?: number;
  /** Signal-to-noise of the simulated responses. */
  snr?: { auditory: number; higher: number; informativeFraction: number };
  /** Render threads (default: all cores). */
  workers?: number;
}

export type SimulateResult = SimulateJobResult;

/** The simulate spec of a set of flags: the same object a run configuration's `dataset.simulate` holds. */
export function simulateSpec(opts: Omit<SimulateOptions, 'out' | 'workers'>): SimulateSpec {
  return {
    preset: opts.preset ?? 'demo', subjects: opts.subjects, seed: opts.seed, genres: opts.genres, trainPerGenre: opts.trainPerGenre,
    testPerGenre: opts.testPerGenre, targetVoxels: opts.voxels, raw: opts.raw ? true : undefined, library: opts.library, snr: opts.snr,
  };
}

/**
 * `brain2music simulate --out DIR [--preset demo|paper] [--subjects N] [--seed S] [--library N] [--raw] …`:
 * the simulate job (the pipeline's simulate stage) into DIR.
 */
export async function runSimulate(opts: SimulateOptions, ui: CliUi): Promise<SimulateResult> {
  return simulateJob(simulateSpec(opts), resolve(opts.out), ui, { workers: opts.workers });
}
