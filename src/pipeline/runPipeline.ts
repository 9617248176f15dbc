import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Brain2MusicError } from '../errors.ts';
import { prefixedReporter, type Reporter } from '../progress.ts';
import {
  checkOutputPath, checksumPath, commitOutputs, MANIFEST_FORMAT, packageVersions, pathExists, readManifest, STAGE_NAMES, withRunLock, writeManifest,
  type RunManifest, type StageName, type StageRecord, type StageSummary,
} from '../run/index.ts';
import { resolveRun } from './resolveRun.ts';
import type { RunConfig } from './runConfig.ts';
import type { Stage, StagePlan } from './stage.ts';

/** How one stage ended in this pipeline invocation. */
export interface StageOutcome {
  name: StageName;
  /**
   * ran: executed now; reused: outputs current, skipped; not-run: switched off or a needed stage
   * did not finish; unavailable: this build has no implementation of the stage.
   */
  status: 'ran' | 'reused' | 'not-run' | 'unavailable';
  seconds?: number;
  reason?: string;
  summary?: StageSummary;
}

export interface PipelineOptions {
  ui: Reporter;
  /** Stage names to run even when their outputs are current. */
  force?: readonly StageName[];
}

/** A stage's seed: a 32-bit FNV-1a hash of the master seed and the stage name. */
export function stageSeed(master: number, name: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${master}:${name}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function runRelative(runDir: string, p: string): string {
  const r = relative(runDir, p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : p;
}

function inputsHash(plan: StagePlan, seed: number, inputs: { path: string; sha256: string }[]): string {
  return createHash('sha256').update(JSON.stringify({ params: plan.params, seed, inputs, outputs: plan.outputs })).digest('hex');
}

function newManifest(config: RunConfig): RunManifest<RunConfig> {
  const now = new Date().toISOString();
  return { format: MANIFEST_FORMAT, createdAt: now, updatedAt: now, config, versions: packageVersions(), seeds: { master: config.seed }, checksums: {}, stages: {} };
}

/**
 * Runs the stages in the canonical order into `config.out`, resuming an earlier run there: a
 * stage whose recorded input hash still matches (same params, seed and input checksums) and whose
 * outputs all exist is skipped. After every stage, `RUN/run.json` is rewritten atomically with the
 * configuration, versions, seeds, checksums and timings, so an interrupted run resumes at the
 * stage it was in. A stage that throws is recorded as failed and its error is rethrown; its
 * partial outputs stay in `RUN/.staging/<stage>`, where the next attempt finds them again if the
 * stage's inputs are unchanged (and starts from an empty folder otherwise).
 *
 * @param stages the implemented stages (any order; missing ones are reported `unavailable`)
 * @returns one outcome per canonical stage, in order
 */
export async function runPipeline(config: RunConfig, stages: readonly Stage[], opts: PipelineOptions): Promise<StageOutcome[]> {
  return withRunLock(config.out, () => runStages(config, stages, opts));
}

async function runStages(config: RunConfig, stages: readonly Stage[], opts: PipelineOptions): Promise<StageOutcome[]> {
  const runDir = config.out;
  const manifest = readManifest<RunConfig>(runDir) ?? newManifest(config);
  manifest.config = config;
  manifest.versions = packageVersions();
  manifest.seeds = { master: config.seed };
  const save = () => {
    manifest.updatedAt = new Date().toISOString();
    writeManifest(runDir, manifest);
  };
  save();
  const byName = new Map(stages.map((s) => [s.name, s]));
  const run = resolveRun(config);
  const outcomes: StageOutcome[] = [];
  const record = (name: StageName, r: StageRecord) => {
    manifest.stages[name] = r;
    save();
  };

  for (const name of STAGE_NAMES) {
    const stage = byName.get(name);
    if (!stage) {
      // a caller may run a subset of the stages (availableStages() has them all)
      outcomes.push({ name, status: 'unavailable', reason: 'not among the stages given to runPipeline' });
      record(name, { status: 'not-run', reason: 'not among the stages given to runPipeline' });
      continue;
    }
    const seed = stageSeed(config.seed, name);
    manifest.seeds[name] = seed;
    const missing = stage.needs.filter((n) => manifest.stages[n]?.status !== 'done');
    if (missing.length > 0) {
      const reason = `needs ${missing.join(', ')}, which did not finish`;
      outcomes.push({ name, status: 'not-run', reason });
      record(name, { status: 'not-run', reason });
      continue;
    }
    const ctx = { runDir, config, run, seed, previous: manifest.stages };
    const plan = await stage.plan(ctx);
    if ('skip' in plan) {
      outcomes.push({ name, status: 'not-run', reason: plan.skip });
      record(name, { status: 'not-run', reason: plan.skip });
      continue;
    }
    for (const out of plan.outputs) checkOutputPath(`stage ${name}`, out);
    const inputs = plan.inputs.map((p) => ({ path: runRelative(runDir, p), sha256: checksumPath(p, manifest.checksums) }));
    const hash = inputsHash(plan, seed, inputs);
    const prev = manifest.stages[name];
    const current = prev?.status === 'done' && prev.inputsHash === hash && plan.outputs.every((o) => pathExists(join(runDir, o)));
    if (current && !opts.force?.includes(name)) {
      record(name, { ...prev, reused: true });
      outcomes.push({ name, status: 'reused', seconds: prev.seconds, summary: prev.summary });
      continue;
    }

    // A staging folder left by an interrupted attempt with the same inputs is kept, so a stage
    // that saves partial work there (embedding caches, rendered clips) resumes where it stopped.
    const staging = join(runDir, '.staging', name);
    const mark = join(runDir, '.staging', `${name}.inputs`);
    const resumable = pathExists(staging) && pathExists(mark) && readFileSync(mark, 'utf8') === hash;
    if (!resumable) {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      writeFileSync(mark, hash);
    }
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    opts.ui.info(`${name}: ${stage.title}`);
    let summary: StageSummary;
    try {
      summary = await stage.run(
        { ...ctx, outDir: staging, ui: prefixedReporter(opts.ui, `${name}: `), progress: (task) => opts.ui.progress(`${name}: ${task}`) },
        plan,
      );
      commitOutputs(`stage ${name}`, staging, runDir, plan.outputs);
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      record(name, { status: 'failed', error: err instanceof Error ? err.message : String(err), seed, inputs, params: plan.params, startedAt, seconds });
      if (err instanceof Brain2MusicError) throw err;
      throw new Brain2MusicError('INTERNAL', `stage ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    rmSync(staging, { recursive: true, force: true });
    rmSync(mark, { force: true });
    const seconds = (performance.now() - t0) / 1000;
    record(name, { status: 'done', reused: false, seed, inputsHash: hash, inputs, outputs: plan.outputs, params: plan.params, startedAt, seconds, summary });
    outcomes.push({ name, status: 'ran', seconds, summary });
  }
  rmSync(join(runDir, '.staging'), { recursive: true, force: true });
  return outcomes;
}
