import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '../../errors.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import type { Reporter } from '../../progress.ts';
import { PROJECT_ROOT, readManifest, STAGE_NAMES, withFileLock, type StageName } from '../../run/index.ts';
import { simulationConfig } from '../jobs/simulate.ts';
import { resolveRun } from '../resolveRun.ts';
import { openRunFolder, stageSeed, staleUnits } from '../runPipeline.ts';
import type { RunConfig, SlurmResources } from '../runConfig.ts';
import type { Stage, StageContext } from '../stage.ts';
import { unitIdsOfStage } from '../units.ts';
import { sbatch, squeue } from './slurmCommands.ts';
import { activeUnits, readSubmissions, submissionsFile, unitReport, type SlurmSubmission, type SubmittedStage } from './runStatus.ts';

export interface SlurmRunOptions {
  ui: Reporter;
  /** The configuration file the jobs read (the units run `brain2music run CONFIG --unit ID`). */
  configPath: string;
  /** Stages whose units are submitted even when their outputs are current. */
  force?: readonly StageName[];
  /** Submit only what the run's queued and running jobs do not cover, depending on them. */
  resume?: boolean;
  /** Return after submitting (then `brain2music status RUN`). */
  detach?: boolean;
  /** How often squeue is asked while waiting (default 5 s). */
  pollMs?: number;
}

/** The subjects of the run before its dataset exists: a simulated dataset's are known from its configuration. */
function plannedSubjects(config: RunConfig): string[] {
  if (config.subjects !== 'all') return config.subjects;
  const run = resolveRun(config);
  if ('simulate' in config.dataset && !existsSync(run.datasetRoot)) {
    const n = simulationConfig(config.dataset.simulate).dataset.subjects;
    return Array.from({ length: n }, (_, i) => `sub-${String(i + 1).padStart(3, '0')}`);
  }
  return run.subjects();
}

/** sbatch's arguments for a stage's units: the top-level resources, overridden by the stage's own. */
function resourceArgs(config: RunConfig, stage: StageName): string[] {
  const s = config.slurm;
  if (!s) return [];
  const r: Partial<SlurmResources> = { ...s, ...Object.fromEntries(Object.entries(s.stages[stage] ?? {}).filter(([, v]) => v !== undefined)) };
  return [
    ...(r.partition ? [`--partition=${r.partition}`] : []),
    ...(r.account ? [`--account=${r.account}`] : []),
    ...(r.cpus ? [`--cpus-per-task=${r.cpus}`] : []),
    ...(r.mem ? [`--mem=${r.mem}`] : []),
    ...(r.time ? [`--time=${r.time}`] : []),
    ...s.extraArgs,
  ];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The batch script of one stage's array: task i runs unit i, with as many threads as CPUs it was given. */
function batchScript(configPath: string, units: readonly string[]): string {
  const cli = join(PROJECT_ROOT, 'bin', 'brain2music.js');
  return [
    '#!/bin/bash',
    '# written by brain2music run --executor slurm: array task i runs work unit i',
    'set -euo pipefail',
    `units=(${units.map(quote).join(' ')})`,
    'unit="${units[$SLURM_ARRAY_TASK_ID]}"',
    'export BRAIN2MUSIC_THREADS="${SLURM_CPUS_PER_TASK:-1}"',
    `exec ${quote(process.execPath)} ${quote(cli)} run ${quote(configPath)} --unit "$unit"`,
    '',
  ].join('\n');
}

/**
 * `brain2music run CONFIG --executor slurm`: every stage whose units must run becomes one job
 * array (`sbatch --array`, a task per unit: per subject for decode, retrieve, generate and
 * encode, per model for embed), or two for a stage with shards (its shard units, then its merges
 * depending on them), depending on the arrays of the stages it needs (`--dependency=afterok`, dependents of a
 * failed unit cancelled by Slurm: `--kill-on-invalid-dep=yes`). Units whose outputs are current
 * are not submitted, nor (with `resume`) units still queued or running, which the new arrays
 * depend on task by task. Then, unless `detach`, waits for the arrays (squeue) and reports every
 * unit that failed or did not finish with its log (`RUN/logs/slurm/<stage>-<job>_<task>.log`).
 * Every job runs `brain2music run CONFIG --unit ID`, which locks its unit, checks what it needs
 * and merges its record into run.json. Uses sbatch, squeue and scancel only: no daemon of ours.
 * @throws JOB_FAILED when a unit failed or did not finish; BAD_INPUT when jobs of the run are still active without `resume`
 */
export async function runOnSlurm(config: RunConfig, stages: readonly Stage[], opts: SlurmRunOptions): Promise<SlurmSubmission> {
  const runDir = config.out;
  openRunFolder(config);
  const configPath = resolve(opts.configPath);
  const active = activeUnits(runDir);
  if (active.size > 0 && !opts.resume) {
    fail('BAD_INPUT', `${active.size} units of ${runDir} are still queued or running (${[...active.keys()].slice(0, 4).join(', ')}${active.size > 4 ? ', …' : ''}); wait for them (brain2music status ${runDir}), add --resume to submit only what they do not cover, or scancel them.`);
  }
  const subjects = plannedSubjects(config);
  const run = resolveRun(config);
  const previous = readManifest<RunConfig>(runDir)?.stages ?? {};
  const byName = new Map(stages.map((s) => [s.name, s]));
  const changed = new Set<StageName>();
  const jobsOf = new Map<StageName, string[]>();
  const submitted: SubmittedStage[] = [];
  const at = new Date().toISOString();
  const stamp = at.replace(/[-:]/g, '').replace(/\..*/, '');
  mkdirSync(join(runDir, '.slurm'), { recursive: true });
  mkdirSync(join(runDir, 'logs', 'slurm'), { recursive: true });

  for (const name of STAGE_NAMES) {
    const stage = byName.get(name);
    if (!stage) continue;
    const ctx: StageContext = { runDir, config, run, seed: stageSeed(config.seed, name), previous };
    const units = unitIdsOfStage(stage, ctx, subjects);
    const upstream = [...stage.needs, ...(stage.after ?? [])];
    const upstreamChanges = upstream.some((n) => changed.has(n)) || opts.force?.includes(name);
    const stale = new Set(upstreamChanges ? units.map((u) => u.id) : await staleUnits(config, stage, false));
    // a merge reads its shards: it runs again after any of them does
    for (const u of units) if (u.shards?.some((sh) => stale.has(sh) || active.has(sh))) stale.add(u.id);
    const deps = [...new Set(upstream.flatMap((n) => jobsOf.get(n) ?? []))];
    const waitingFor: string[] = [];
    // the shards' array first, then the rest (whole units and merges) after it
    for (const phase of ['shard', 'rest'] as const) {
      const ofPhase = units.filter((u) => (u.phase === 'shard') === (phase === 'shard'));
      const toSubmit = ofPhase.filter((u) => stale.has(u.id) && !active.has(u.id)).map((u) => u.id);
      const before = phase === 'rest' ? [...waitingFor] : [];
      waitingFor.push(...ofPhase.filter((u) => active.has(u.id)).map((u) => active.get(u.id)!));
      if (toSubmit.length === 0) continue;
      const label = phase === 'shard' ? `${name}-shards` : name;
      const after = [...new Set([...deps, ...before])];
      const script = join(runDir, '.slurm', `${label}-${stamp}.sh`);
      writeFileSync(script, batchScript(configPath, toSubmit));
      chmodSync(script, 0o755);
      const logPattern = join(runDir, 'logs', 'slurm', `${label}-%A_%a.log`);
      const jobId = sbatch([
        `--job-name=b2m-${name}`, `--array=0-${toSubmit.length - 1}`, `--output=${logPattern}`, `--chdir=${process.cwd()}`, '--kill-on-invalid-dep=yes',
        ...(after.length > 0 ? [`--dependency=afterok:${after.join(':')}`] : []), ...resourceArgs(config, name),
      ], script);
      const logs = toSubmit.map((_, i) => logPattern.replace('%A', jobId).replace('%a', String(i)));
      submitted.push({ stage: name, jobId, units: toSubmit, logs, dependsOn: after, script });
      opts.ui.info(`${label}: job ${jobId}, ${toSubmit.length} array task${toSubmit.length > 1 ? 's' : ''} (${toSubmit.join(', ')})${after.length ? ` after ${after.join(', ')}` : ''}`);
      waitingFor.push(jobId);
    }
    if (waitingFor.length > 0) {
      changed.add(name);
      jobsOf.set(name, [...new Set(waitingFor)]);
    }
  }
  const submission: SlurmSubmission = { at, config: configPath, jobs: submitted };
  withFileLock(join(runDir, '.locks', 'slurm.lock'), () => writeJsonAtomic(submissionsFile(runDir), [...readSubmissions(runDir), submission]));
  if (submitted.length === 0) {
    opts.ui.info(active.size > 0 ? `nothing to submit: the ${active.size} queued or running units cover the run` : 'nothing to submit: every unit is current');
  }
  if (opts.detach || submitted.length === 0) {
    if (submitted.length > 0) opts.ui.info(`submitted; follow it with: brain2music status ${runDir}`);
    return submission;
  }
  await waitForJobs(submitted.map((s) => s.jobId), opts);
  const bad = unitReport(runDir, submission).filter((u) => u.state !== 'done' && u.state !== 'reused' && u.state !== 'not-run');
  if (bad.length > 0) {
    fail('JOB_FAILED', `${bad.length} of ${submission.jobs.reduce((n, j) => n + j.units.length, 0)} units did not finish:\n${bad.map((u) => `  ${u.unit}: ${u.state}${u.note ? ` (${u.note})` : ''}; log ${u.log}`).join('\n')}\nfix what the log says, then: brain2music run ${configPath} --executor slurm --resume`);
  }
  return submission;
}

/** Polls squeue until none of `jobIds` (or their array tasks) is pending or running, saying what changed. */
async function waitForJobs(jobIds: readonly string[], opts: SlurmRunOptions): Promise<void> {
  const seen = new Map<string, string>();
  for (;;) {
    const queued = squeue(jobIds);
    for (const j of queued) {
      if (seen.get(j.id) !== j.state) opts.ui.info(`job ${j.id}: ${j.state.toLowerCase()}${j.reason && j.reason !== 'None' ? ` (${j.reason})` : ''}`);
      seen.set(j.id, j.state);
    }
    if (queued.length === 0) return;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 5000));
  }
}
