import { resolve } from 'node:path';
import { parseRunConfig } from '../../pipeline/index.ts';
import type { CliUi } from '../ui.ts';
import { runConfigured, type RunResult } from './run.ts';

/**
 * Library tracks rendered for the demo. 250, not 100: the builtin generator and the genre
 * classifier learn from the library, and with 100 tracks for a 128-d embedding the classifier
 * named only 74% of the stimuli's genres (89% with 250, 91% with 500), which capped the genre
 * agreement of generated music; 250 costs about a minute more than 100.
 */
export const DEMO_LIBRARY = 250;

/** The demo's configuration as JSON: what `brain2music run` reads to run the demo (on a cluster: `--executor slurm`). */
export function demoConfig(out: string): { out: string; dataset: { simulate: { preset: 'demo'; library: number } } } {
  return { out, dataset: { simulate: { preset: 'demo', library: DEMO_LIBRARY } } };
}

export interface DemoOptions {
  /** Run folder (default runs/demo). */
  out?: string;
  /** Stages to rerun even when current. */
  force?: string[];
}

/**
 * `brain2music demo [--out DIR]`: the whole pipeline on the built-in simulated dataset (simulate,
 * embed, decode, library and retrieval, generation, encoding with significance, evaluation,
 * report), then the summary table and the report's path. A second run reuses finished stages.
 */
export async function runDemo(opts: DemoOptions, ui: CliUi): Promise<RunResult> {
  const out = resolve(opts.out ?? 'runs/demo');
  // The simulator's demo preset (2 subjects, 10 genres × (8 training + 2 test) clips, ~10k voxels)
  // with a 250-track library: enough for retrieval and for the builtin generator to learn from.
  const config = parseRunConfig(demoConfig(out), 'demo defaults', process.cwd());
  ui.info(`demo run folder: ${out}`);
  const result = await runConfigured(config, opts.force, ui);
  const ran = result.outcomes.filter((o) => o.status === 'ran' || o.status === 'reused').map((o) => o.name);
  ui.info(`stages with results: ${ran.join(', ') || 'none'}`);
  return result;
}
