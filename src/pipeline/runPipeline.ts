import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Brain2MusicError, fail } from '../errors.ts';
import { prefixedReporter, silentReporter, type Reporter } from '../progress.ts';
import {
  checkOutputPath, checksumPath, commitOutputs, lockFile, MANIFEST_FORMAT, packageVersions, pathExists, readManifest, STAGE_NAMES, updateManifest,
  type ChecksumCache, type RunManifest, type StageName, type StageRecord, type StageSummary,
} from '../run/index.ts';
import { resolveRun, type ResolvedRun } from './resolveRun.ts';
import type { RunConfig } from './runConfig.ts';
import type { Stage, StageContext, StagePlan } from './stage.ts';
import { aggregateStage, unitDirName, unitsOfStage, type PlannedUnit } from './units.ts';

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

/** Everything a unit needs to know about its run, shared by the units of one invocation. */
interface RunEnv {
  config: RunConfig;
  runDir: string;
  run: ResolvedRun;
  opts: PipelineOptions;
  /** Input checksums computed by this process (merged into run.json with each record). */
  checksums: ChecksumCache;
}

/** Creates the run folder and its run.json, or brings an existing one's configuration, versions and master seed up to date. */
export function openRunFolder(config: RunConfig): RunManifest<RunConfig> {
  mkdirSync(config.out, { recursive: true });
  return updateManifest<RunConfig>(config.out, (prev) => {
    const next = prev ?? newManifest(config);
    next.config = config;
    next.versions = packageVersions();
    next.seeds = { ...next.seeds, master: config.seed };
    return next;
  });
}

function openRun(config: RunConfig, opts: PipelineOptions): RunEnv {
  const m = openRunFolder(config);
  return { config, runDir: config.out, run: resolveRun(config), opts, checksums: { ...m.checksums } };
}

/**
 * Records units (and the stage they belong to, summed up over `allUnits`) in run.json under its
 * lock, with the checksums computed so far: another process's records made meanwhile are kept.
 */
function record(env: RunEnv, name: StageName, allUnits: readonly string[], records: Record<string, StageRecord>, seed?: number): RunManifest<RunConfig> {
  return updateManifest<RunConfig>(env.runDir, (prev) => {
    const m = prev ?? newManifest(env.config);
    const finishedAt = new Date().toISOString();
    m.units = { ...m.units, ...Object.fromEntries(Object.entries(records).map(([id, r]) => [id, { ...r, finishedAt }])) };
    m.stages[name] = aggregateStage(allUnits.map((id) => m.units![id]), allUnits);
    if (seed !== undefined) m.seeds[name] = seed;
    // in stage order, whichever unit recorded first (run.json and the report then read the same on every executor)
    m.seeds = Object.fromEntries([['master', m.seeds.master], ...STAGE_NAMES.filter((n) => m.seeds[n] !== undefined).map((n) => [n, m.seeds[n]])]) as RunManifest['seeds'];
    m.checksums = { ...m.checksums, ...env.checksums };
    return m;
  });
}

/**
 * Runs the stages in the canonical order into `config.out`, resuming an earlier run there: a
 * work unit (a stage, or one subject of a stage that splits by subject: see `units.ts`) whose
 * recorded input hash still matches (same params, seed and input checksums) and whose outputs all
 * exist is skipped. After every unit, `RUN/run.json` is updated under its lock with the
 * configuration, versions, seeds, checksums and timings, so an interrupted run resumes at the
 * unit it was in, and units run by other processes at the same time (`--unit`, a Slurm array)
 * keep their records. A unit that throws is recorded as failed and its error is rethrown; its
 * partial outputs stay in `RUN/.staging/<unit>`, where the next attempt finds them again if its
 * inputs are unchanged (and starts from an empty folder otherwise). This is the local executor:
 * the pending units of a stage run together in one call of the stage (one library read, one
 * model load), which writes what running them one by one writes.
 *
 * @param stages the implemented stages (any order; missing ones are reported `unavailable`)
 * @returns one outcome per canonical stage, in order
 */
export async function runPipeline(config: RunConfig, stages: readonly Stage[], opts: PipelineOptions): Promise<StageOutcome[]> {
  const env = openRun(config, opts);
  const byName = new Map(stages.map((s) => [s.name, s]));
  const outcomes: StageOutcome[] = [];
  try {
    for (const name of STAGE_NAMES) {
      const stage = byName.get(name);
      if (!stage) {
        // a caller may run a subset of the stages (availableStages() has them all)
        const reason = 'not among the stages given to runPipeline';
        outcomes.push({ name, status: 'unavailable', reason });
        record(env, name, [name], { [name]: { status: 'not-run', reason } });
        continue;
      }
      outcomes.push(await runUnits(env, stage, null));
    }
  } finally {
    tidy(config.out);
  }
  return outcomes;
}

/**
 * Runs one work unit of the pipeline (`decode:sub-003`, `evaluate`) on its own, as a job of a
 * cluster runs it: the stages it needs must be done in the run folder (by earlier units, on any
 * machine); its outputs are committed atomically and its record merged into run.json.
 * @throws BAD_INPUT for an unknown unit, NOT_FOUND when a stage it needs is not done
 */
export async function runUnit(config: RunConfig, stages: readonly Stage[], unitId: string, opts: PipelineOptions): Promise<StageOutcome> {
  const name = unitId.split(':')[0] as StageName;
  const stage = stages.find((s) => s.name === name);
  if (!stage) fail('BAD_INPUT', `unit '${unitId}' names no stage; stages are ${STAGE_NAMES.join(', ')}.`);
  const env = openRun(config, opts);
  try {
    return await runUnits(env, stage, unitId);
  } finally {
    tidy(config.out);
  }
}

/** Removes the run folder's empty bookkeeping folders (a unit still running elsewhere keeps its own). */
function tidy(runDir: string): void {
  for (const d of ['.staging', '.locks']) {
    try {
      rmdirSync(join(runDir, d));
    } catch {
      // not empty (other units at work) or absent
    }
  }
}

/** A planned unit's input checksums and hash, and its record when that is done with the same hash and every output in place. */
function hashUnit(env: RunEnv, name: StageName, u: PlannedUnit & { plan: StagePlan }, seed: number, manifest: RunManifest<RunConfig>) {
  for (const out of u.plan.outputs) checkOutputPath(`stage ${name}`, out);
  const inputs = u.plan.inputs.map((p) => ({ path: runRelative(env.runDir, p), sha256: checksumPath(p, env.checksums) }));
  const hash = inputsHash(u.plan, seed, inputs);
  const prev = manifest.units?.[u.id] ?? (u.id === name ? manifest.stages[name] : undefined);
  const upToDate = prev?.status === 'done' && prev.inputsHash === hash && u.plan.outputs.every((o) => pathExists(join(env.runDir, o)));
  return { inputs, hash, prev, upToDate };
}

/**
 * Which units of `stage` would run now (not current), planned against the run folder as it is:
 * what `--executor slurm` submits when the stages before it are not being rerun. Units whose
 * stage is switched off, or whose needed stages did not finish, count as current when they were
 * recorded so; a merge is stale when one of its shards is.
 */
export async function staleUnits(config: RunConfig, stage: Stage, force: boolean): Promise<string[]> {
  const manifest = readManifest<RunConfig>(config.out);
  const env: RunEnv = { config, runDir: config.out, run: resolveRun(config), opts: { ui: silentReporter }, checksums: { ...manifest?.checksums } };
  const seed = stageSeed(config.seed, stage.name);
  const base: StageContext = { runDir: env.runDir, config, run: env.run, seed, previous: manifest?.stages ?? {} };
  const units = await unitsOfStage(stage, base);
  const notRun = (id: string) => manifest?.units?.[id]?.status === 'not-run';
  if (!manifest || stage.needs.some((n) => manifest.stages[n]?.status !== 'done')) return units.filter((u) => force || !notRun(u.id)).map((u) => u.id);
  const stale = new Set<string>();
  for (const u of units) {
    const isStale = force
      || ('skip' in u.plan ? !notRun(u.id) : (u.shards ?? []).some((s) => stale.has(s)) || !hashUnit(env, stage.name, { ...u, plan: u.plan }, seed, manifest).upToDate);
    if (isStale) stale.add(u.id);
  }
  return units.filter((u) => stale.has(u.id)).map((u) => u.id);
}

/**
 * The stage's units (or only `only`), run: reused when current, the rest in one call of the
 * stage when they are plain per-subject units, else one by one in order (a merge is hashed after
 * its shards ran, so it reads what they wrote).
 */
async function runUnits(env: RunEnv, stage: Stage, only: string | null): Promise<StageOutcome> {
  const { runDir } = env;
  const name = stage.name;
  const seed = stageSeed(env.config.seed, name);
  const manifest = readManifest<RunConfig>(runDir)!;
  const base: StageContext = { runDir, config: env.config, run: env.run, seed, previous: manifest.stages };
  const missing = stage.needs.filter((n) => manifest.stages[n]?.status !== 'done');
  if (missing.length > 0) {
    const reason = `needs ${missing.join(', ')}, which did not finish`;
    // as the local executor does: recorded, and the units after it go on (they skip in turn)
    const ids = only ? [only] : (await unitsOfStage(stage, base)).map((u) => u.id);
    record(env, name, ids, Object.fromEntries(ids.map((id) => [id, { status: 'not-run', reason } satisfies StageRecord])));
    return { name, status: 'not-run', reason };
  }
  const all = await unitsOfStage(stage, base);
  const allIds = all.map((u) => u.id);
  const units = only ? all.filter((u) => u.id === only) : all;
  if (only && units.length === 0) fail('BAD_INPUT', `stage ${name} has no unit '${only}' in this configuration; its units are ${allIds.join(', ')}.`);

  const skipped = units.filter((u): u is PlannedUnit & { plan: { skip: string } } => 'skip' in u.plan);
  if (skipped.length > 0) {
    const reason = skipped[0]!.plan.skip;
    record(env, name, allIds, Object.fromEntries(skipped.map((u) => [u.id, { status: 'not-run', reason: u.plan.skip } satisfies StageRecord])));
    if (skipped.length === units.length) return { name, status: 'not-run', reason };
  }
  const planned = units.filter((u): u is PlannedUnit & { plan: StagePlan } => !('skip' in u.plan));
  if (all.every((u) => u.phase === 'whole' && !u.ctx.scope)) return runTogether(env, stage, base, all, planned);
  const outcomes: StageOutcome[] = [];
  for (const u of planned) outcomes.push(await runTogether(env, stage, base, all, [u]));
  return {
    name, status: outcomes.some((o) => o.status === 'ran') ? 'ran' : 'reused', seconds: outcomes.reduce((t, o) => t + (o.seconds ?? 0), 0),
    summary: Object.assign({}, ...outcomes.filter((_, i) => planned[i]!.phase !== 'shard').map((o) => o.summary)),
  };
}

/** Units of one stage, locked, hashed, and those not current run in one call of the stage (`all`: every unit of the stage). */
async function runTogether(env: RunEnv, stage: Stage, base: StageContext, all: readonly PlannedUnit[], planned: readonly (PlannedUnit & { plan: StagePlan })[]): Promise<StageOutcome> {
  const { runDir, opts } = env;
  const { name } = stage;
  const { seed } = base;
  const allIds = all.map((u) => u.id);
  const releases = planned.map((u) => lockFile(join(runDir, '.locks', `${unitDirName(u.id)}.lock`), {
    busy: (holder) => `unit ${u.id} of run folder ${runDir} is being run by another brain2music process (${holder}); wait for it to finish (brain2music status ${runDir}).`,
  }));
  try {
    const current = readManifest<RunConfig>(runDir)!;
    for (const u of planned) {
      const waiting = (u.shards ?? []).filter((s) => current.units?.[s]?.status !== 'done');
      if (waiting.length > 0) fail('NOT_FOUND', `unit ${u.id} merges shard units that are not done: ${waiting.join(', ')}; run them first (brain2music run CONFIG --unit ${waiting[0]}).`);
    }
    const hashed = planned.map((u) => {
      const h = hashUnit(env, name, u, seed, current);
      return { ...u, plan: u.plan, ...h, prev: h.upToDate && !opts.force?.includes(name) ? h.prev : undefined };
    });
    const reused = hashed.filter((u) => u.prev);
    if (reused.length > 0) record(env, name, allIds, Object.fromEntries(reused.map((u) => [u.id, { ...u.prev!, reused: true }])), seed);
    const pending = hashed.filter((u) => !u.prev);
    if (pending.length === 0) {
      const agg = aggregateStage(reused.map((u) => u.prev!));
      return { name, status: 'reused', seconds: agg.seconds, summary: agg.summary };
    }

    // the pending units in one call: the stage planned for their subjects together
    const subjects = pending.flatMap((u) => u.subjects ?? []);
    const ctx: StageContext = pending.length === 1 ? pending[0]!.ctx : pending.length === all.length || subjects.length === 0 ? base : { ...base, run: { ...env.run, subjects: () => subjects } };
    const plan = pending.length === 1 ? pending[0]!.plan : (await stage.plan(ctx)) as StagePlan;
    const batchHash = createHash('sha256').update(pending.map((u) => u.hash).join('\n')).digest('hex');
    // A staging folder left by an interrupted attempt with the same inputs is kept, so a stage
    // that saves partial work there (embedding caches, rendered clips) resumes where it stopped.
    const dirName = pending.length === all.length ? name : pending.length === 1 ? unitDirName(pending[0]!.id) : `${name}-${batchHash.slice(0, 12)}`;
    const staging = join(runDir, '.staging', dirName);
    const mark = join(runDir, '.staging', `${dirName}.inputs`);
    const resumable = pathExists(staging) && pathExists(mark) && readFileSync(mark, 'utf8') === batchHash;
    if (!resumable) {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      writeFileSync(mark, batchHash);
    }
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    opts.ui.info(`${name}: ${stage.title}${all.length > 1 ? ` (${pending.map((u) => u.id).join(', ')})` : ''}`);
    let summary: StageSummary;
    try {
      summary = await stage.run(
        { ...ctx, outDir: staging, ui: prefixedReporter(opts.ui, `${name}: `), progress: (task) => opts.ui.progress(`${name}: ${task}`) },
        plan,
      );
      commitOutputs(pending.length === 1 ? `unit ${pending[0]!.id}` : `stage ${name}`, staging, runDir, plan.outputs);
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      const error = err instanceof Error ? err.message : String(err);
      record(env, name, allIds, Object.fromEntries(pending.map((u) => [u.id, { status: 'failed', error, seed, inputs: u.inputs, params: u.plan.params, startedAt, seconds } satisfies StageRecord])), seed);
      if (err instanceof Brain2MusicError) throw err;
      throw new Brain2MusicError('INTERNAL', `stage ${name} failed: ${error}`, { cause: err });
    }
    rmSync(staging, { recursive: true, force: true });
    rmSync(mark, { force: true });
    const seconds = (performance.now() - t0) / 1000;
    // a stage split by subject reports one summary entry per subject: each unit keeps its own
    const summaryOf = (u: PlannedUnit): StageSummary => (u.subjects ? Object.fromEntries(Object.entries(summary).filter(([k]) => u.subjects!.includes(k))) : summary);
    record(env, name, allIds, Object.fromEntries(pending.map((u) => [u.id, {
      status: 'done', reused: false, seed, inputsHash: u.hash, inputs: u.inputs, outputs: u.plan.outputs, params: u.plan.params, startedAt, seconds: seconds / pending.length, summary: summaryOf(u),
    } satisfies StageRecord])), seed);
    return { name, status: 'ran', seconds, summary: Object.assign({}, ...reused.map((u) => u.prev!.summary), summary) };
  } finally {
    for (const release of releases) release();
  }
}
