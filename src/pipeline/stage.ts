import type { Reporter, TaskProgress } from '../progress.ts';
import type { StageName, StageRecord, StageSummary } from '../run/index.ts';
import type { ResolvedRun } from './resolveRun.ts';
import type { RunConfig } from './runConfig.ts';

export { STAGE_NAMES, type StageName, type StageSummary } from '../run/index.ts';

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
  /** The configuration resolved once for the whole pipeline (dataset, subjects, models). */
  run: ResolvedRun;
  /** This stage's seed, derived from the run's master seed and the stage name. */
  seed: number;
  /** Records of the stages before this one (this run or an earlier one). */
  previous: Partial<Record<StageName, StageRecord>>;
  /** The part of the stage's work a unit does; undefined: all of it (see units.ts). */
  scope?: UnitScope;
}

/**
 * Which part of a stage's work a unit does, beside its subject (`run.subjects()` narrowed): a
 * per-model unit's model; a shard unit's shard (`index` 1-based of `count`); or the merge that
 * puts a model's or subject's `count` shards together once they are all done.
 */
export interface UnitScope {
  model?: string;
  shard?: { index: number; count: number };
  merge?: { count: number };
}

/** What a running stage gets: where to write, and how to talk to the user. */
export interface StageRunContext extends StageContext {
  /**
   * Staging folder with the run folder's layout: write `outputs[i]` to `join(outDir, outputs[i])`.
   * The pipeline moves the outputs into the run folder only after `run` succeeds, so an
   * interrupted stage never leaves half its outputs in place.
   */
  outDir: string;
  /** Talks to the user; its progress bars are labelled with the stage name. */
  ui: Reporter;
  /** A progress reporter labelled with the stage name. */
  progress(task: string): TaskProgress;
}

/**
 * One step of the pipeline: a thin adapter that plans from the resolved configuration and runs
 * the stage's job (`pipeline/jobs/<stage>.ts`, the same job its CLI command runs).
 */
export interface Stage {
  readonly name: StageName;
  /** One line saying what the stage does. */
  readonly title: string;
  /** Stages whose outputs this one reads; it does not run unless they finished. */
  readonly needs: readonly StageName[];
  /**
   * Stages whose outputs it reads when they ran (the simulated dataset, the scores it gathers),
   * besides `needs`: a cluster schedules it after them; unlike `needs`, it runs when they did not.
   */
  readonly after?: readonly StageName[];
  /**
   * True when the stage's work splits into one unit per subject (`decode:sub-003`): each unit is
   * the stage planned and run with `run.subjects()` narrowed to that subject, and writes only that
   * subject's outputs. A stage without it is one unit, named after the stage.
   */
  perSubject?(ctx: StageContext): boolean;
  /** True when the stage's work splits into one unit per embedding model (`embed:clap`), told apart by `scope.model`. */
  perModel?(ctx: StageContext): boolean;
  /**
   * Shards per subject or model (or of the whole stage), from the configuration alone (a cluster
   * plans its arrays before any input exists): with more than 1, units `<unit>:<k>-of-<n>` each
   * do shard `scope.shard`, then unit `<unit>` (`scope.merge`) puts them together.
   */
  shards?(ctx: StageContext): number;
  /** The plan for this configuration, or `{ skip: reason }` when the configuration switches it off. */
  plan(ctx: StageContext): StagePlan | { skip: string } | Promise<StagePlan | { skip: string }>;
  run(ctx: StageRunContext, plan: StagePlan): Promise<StageSummary>;
}
