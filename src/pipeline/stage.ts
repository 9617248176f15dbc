import type { CliUi, ProgressFn } from '../cli/ui.ts';
import type { RunConfig } from './runConfig.ts';
import type { StageRecord } from './manifest.ts';

/**
 * The canonical stages of a run, in execution order. A build may lack some of them (their
 * module not written yet); the pipeline then reports them as unavailable instead of faking them.
 */
export const STAGE_NAMES = ['simulate', 'embed', 'decode', 'library', 'retrieve', 'generate', 'encode', 'evaluate', 'report'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** What the stage reads and writes for one configuration, decided before it runs. */
export interface StagePlan {
  /** Absolute paths of files or folders whose content decides the outputs (checksummed). */
  inputs: string[];
  /** Run-relative paths (files or folders) the stage writes; all of them, and only them. */
  outputs: string[];
  /** The configuration values the outputs depend on (JSON; hashed with the inputs). */
  params: unknown;
}

/** What a stage may look at while planning. */
export interface StageContext {
  runDir: string;
  config: RunConfig;
  /** This stage's seed, derived from the run's master seed and the stage name. */
  seed: number;
  /** Records of the stages before this one (this run or an earlier one). */
  previous: Partial<Record<StageName, StageRecord>>;
}

/** What a running stage gets: where to write, and how to talk to the user. */
export interface StageRunContext extends StageContext {
  /**
   * Staging folder with the run folder's layout: write `outputs[i]` to `join(outDir, outputs[i])`.
   * The pipeline moves the outputs into the run folder only after `run` succeeds, so an
   * interrupted stage never leaves half its outputs in place.
   */
  outDir: string;
  ui: CliUi;
  /** A progress reporter labelled with the stage name. */
  progress(task: string): { update: ProgressFn; end(): void };
}

/** Numbers and notes a stage reports (kept in run.json and shown by the demo). */
export type StageSummary = Record<string, string | number | boolean | string[] | number[]>;

/**
 * One step of the pipeline: a thin adapter that calls a single stage's public API
 * (`src/<stage>/index.ts`) and writes its results into the run folder.
 */
export interface Stage {
  readonly name: StageName;
  /** One line saying what the stage does. */
  readonly title: string;
  /** Stages whose outputs this one reads; it does not run unless they finished. */
  readonly needs: readonly StageName[];
  /** The plan for this configuration, or `{ skip: reason }` when the configuration switches it off. */
  plan(ctx: StageContext): StagePlan | { skip: string } | Promise<StagePlan | { skip: string }>;
  run(ctx: StageRunContext, plan: StagePlan): Promise<StageSummary>;
}
