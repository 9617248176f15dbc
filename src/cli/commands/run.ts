import { existsSync } from 'node:fs';
import { fail } from '../../errors.ts';
import {
  formatStatus, loadRunConfig, readManifest, runLayout, runOnSlurm, runPath, runPipeline, runUnit, STAGE_NAMES, unitReport,
  type RunConfig, type StageName, type StageOutcome, type UnitStatus,
} from '../../pipeline/index.ts';
import { availableStages } from '../../pipeline/stages/index.ts';
import { collectRun, pValue } from '../../report/index.ts';
import { readRunJson, type ScoreWithChance, type SummaryMetrics } from '../../run/index.ts';
import type { CliUi } from '../ui.ts';

export interface RunOptions {
  /** Path of the JSON configuration. */
  config: string;
  /** Stages to rerun even when their outputs are current. */
  force?: string[];
  /** Run only this work unit (`decode:sub-003`), as a cluster job does. */
  unit?: string;
  /** Where the units run: in this process, in order (default), or as Slurm jobs. */
  executor?: 'local' | 'slurm';
  /** Slurm: return after submitting. */
  detach?: boolean;
  /** Slurm: submit only what the run's queued and running jobs do not cover. */
  resume?: boolean;
  /** Slurm: how often squeue is asked while waiting (ms). */
  pollMs?: number;
}

/** What a pipeline command did. */
export interface RunResult {
  runDir: string;
  outcomes: StageOutcome[];
  /** Path of the report, when it was written. */
  report?: string;
}

function checkForce(force: readonly string[] | undefined): StageName[] {
  for (const f of force ?? []) {
    if (!(STAGE_NAMES as readonly string[]).includes(f)) fail('BAD_INPUT', `--force names unknown stage '${f}'; stages are ${STAGE_NAMES.join(', ')}.`);
  }
  return (force ?? []) as StageName[];
}

/** One line per stage: status, seconds, and why a stage did not run. */
export function formatStageTable(outcomes: readonly StageOutcome[]): string[] {
  const w = Math.max(...outcomes.map((o) => o.name.length));
  return outcomes.map((o) => {
    const t = o.seconds === undefined ? '' : ` ${o.seconds.toFixed(1)} s${o.status === 'reused' ? ' (earlier run)' : ''}`;
    return `  ${o.name.padEnd(w)}  ${o.status}${t}${o.reason ? `: ${o.reason}` : ''}`;
  });
}

const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));
/** "0.895 (0.500)": a score with its chance level (or its oracle, then its chance). */
const withRef = (value: number | undefined, ...refs: (number | undefined)[]) => (value === undefined || !Number.isFinite(value) ? '–' : `${f3(value)} (${refs.map(f3).join(', ')})`);

/** The column headings of the summary table, each saying its unit, split and what is in brackets. */
export const SUMMARY_COLUMNS = [
  'subject',
  'identification, test clips (chance)',
  'N-way top-1, test (chance)',
  'retrieval genre (oracle, chance)',
  'generated music id (oracle, chance)',
] as const;

/** The columns of the intervals under the summary table (same rows, same order). */
export const INTERVAL_COLUMNS = [
  'subject', 'identification (95%)', 'p', 'N-way top-1 (95%)', 'p', 'retrieval genre (95%)', 'p', 'generated id (95%)', 'p',
] as const;

/** Rows under two header lines (each heading split before its bracket), so that every column stays narrow. */
function alignColumns(headings: readonly string[], rows: string[][]): string[] {
  const head = headings.map((h) => h.replace(/ \(/, '\n(').split('\n'));
  const widths = head.map((h, i) => Math.max(...h.map((x) => x.length), ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head.map((h) => h[0]!)), line(head.map((h) => h[1] ?? '')), ...rows.map(line)];
}

/**
 * The summary table, at most 100 columns wide: per subject, test identification and N-way top-1
 * with their chance levels, retrieval genre agreement with oracle and chance, generated-music
 * identification with its oracle (chance 0.5); with `decode --align` a `pooled` row under each
 * subject (the cross-subject decoder on the same test clips) and a line saying how it was made;
 * then a line per subject with the significant voxels of each encoding space. The in-sample
 * training score and everything else is in `metrics.json` (and `--json`). A column whose stage did not run shows a dash.
 */
export function formatSummaryTable(runDir: string): string[] {
  const c = collectRun(runDir);
  if (c.subjects.length === 0) return ['  (no subject results in this run)'];
  const rows = c.subjects.flatMap((s) => {
    const d = s.decode?.metrics;
    const r = s.retrieval?.genreAgreement;
    const g = s.generationMetrics;
    const a = d?.aligned;
    return [[
      s.id, withRef(d?.identificationTest.value, d?.identificationTest.chance), withRef(d?.nWayTop1.value, d?.nWayTop1.chance),
      withRef(r?.value, r?.oracle, r?.chance), withRef(g?.identification.value, g?.oracle?.identification.value, g?.identification.chance),
    ], ...(a ? [['  pooled', withRef(a.identificationTest.value, a.identificationTest.chance), withRef(a.nWayTop1.value, a.nWayTop1.chance), '', '']] : [])];
  });
  const range = (x: ScoreWithChance | undefined) => (x?.ci95 ? `${f3(x.ci95[0])}–${f3(x.ci95[1])}` : '–');
  const p = (x: ScoreWithChance | undefined) => (x ? pValue(x) : '–');
  const intervals = c.subjects.flatMap((s) => {
    const d = s.decode?.metrics;
    const g = s.generationMetrics?.identification;
    const a = d?.aligned;
    return [
      [s.id, range(d?.identificationTest), p(d?.identificationTest), range(d?.nWayTop1), p(d?.nWayTop1), range(s.retrieval?.genreAgreement), p(s.retrieval?.genreAgreement), range(g), p(g)],
      ...(a ? [['  pooled', range(a.identificationTest), p(a.identificationTest), range(a.nWayTop1), p(a.nWayTop1), '', '', '', '']] : []),
    ];
  });
  const pooled = c.subjects.map((s) => s.decode?.metrics).find((d) => d?.aligned);
  const pa = pooled?.aligned;
  const pooledNote = [
    ...(pa ? [`  pooled: one decoder on ${pa.trainingSubjects.length} subjects, ${pa.method === 'ridge' ? `ridge-aligned onto ${pa.reference}` : 'shared response model'}${pa.excludeTarget ? ', the scored subject left out' : ''}`] : []),
    ...(pooled?.trainRuns ? [`  training runs: each scored subject its first ${pooled.trainRuns.kept} of ${pooled.trainRuns.of} (both decoders)`] : []),
  ];
  const encoding = c.subjects.filter((s) => s.encode).map((s) => {
    const e = s.encode!.summary;
    return `  ${s.id}: significant voxels (${e.null} null, BH q ≤ ${e.fdr}): ${Object.entries(e.models).map(([n, m]) => `${n} ${m.nSignificant}`).join(', ')} of ${e.nVoxels}`;
  });
  const classes = c.subjects.filter((s) => s.generationMetrics?.classAgreement).map((s) => {
    const a = s.generationMetrics!.classAgreement!;
    const one = (name: string, x: ScoreWithChance & { top: number }) => `${name} top-${x.top} ${withRef(x.value, x.oracle, x.chance)}`;
    return `  ${s.id}: class agreement of generated music (${a.classifier}; value (oracle, chance)): ${one('genre', a.genre)}, ${one('instrument', a.instrument)}, ${one('mood', a.mood)}`;
  });
  const withIntervals = intervals.some((r) => r.slice(1).some((x) => x !== '–' && x !== ''));
  return [
    ...alignColumns(SUMMARY_COLUMNS, rows),
    ...pooledNote,
    ...(withIntervals ? ['  95% intervals: bootstrap over test clips; p vs chance: random pairings (retrieval: random tracks)', ...alignColumns(INTERVAL_COLUMNS, intervals)] : []),
    ...classes,
    ...encoding,
  ];
}

/** Runs the pipeline for a validated configuration and prints what happened. */
export async function runConfigured(config: RunConfig, force: readonly string[] | undefined, ui: CliUi): Promise<RunResult> {
  return summarize(config, await runPipeline(config, availableStages(), { ui, force: checkForce(force) }), ui);
}

/** Prints the stage table and the summary table of a finished run. */
function summarize(config: RunConfig, outcomes: StageOutcome[], ui: CliUi): RunResult {
  ui.info('stages:');
  for (const l of formatStageTable(outcomes)) ui.info(l);
  ui.info('summary (test split, items = clips; every score with its chance level; more in metrics.json):');
  for (const l of formatSummaryTable(config.out)) ui.info(l);
  const index = runPath(config.out, `${runLayout.report}/index.html`);
  const report = outcomes.find((o) => o.name === 'report')?.status === 'ran' || outcomes.find((o) => o.name === 'report')?.status === 'reused' ? index : undefined;
  if (report && existsSync(report)) ui.info(`report: ${report}  (open it in a browser, or: brain2music serve ${config.out})`);
  return { runDir: config.out, outcomes, report };
}

/**
 * `brain2music run CONFIG.json`: the whole pipeline on the configured dataset, resuming in its
 * run folder; one work unit of it (`--unit`); or every unit as Slurm jobs (`--executor slurm`).
 */
export async function runRun(opts: RunOptions, ui: CliUi): Promise<RunResult> {
  const config = loadRunConfig(opts.config);
  const executor = opts.executor ?? 'local';
  if (executor === 'local' && (opts.detach || opts.resume)) fail('BAD_INPUT', `${opts.detach ? '--detach' : '--resume'} applies to --executor slurm; a local run always resumes where it stopped.`);
  if (opts.unit && executor !== 'local') fail('BAD_INPUT', '--unit runs one unit in this process; it does not combine with --executor slurm.');
  ui.info(`run folder: ${config.out}`);
  if (opts.unit) {
    const outcome = await runUnit(config, availableStages(), opts.unit, { ui, force: checkForce(opts.force) });
    ui.info(`unit ${opts.unit}: ${outcome.status}${outcome.seconds === undefined ? '' : ` ${outcome.seconds.toFixed(1)} s`}${outcome.reason ? `: ${outcome.reason}` : ''}`);
    return { runDir: config.out, outcomes: [outcome] };
  }
  if (executor === 'slurm') {
    const submission = await runOnSlurm(config, availableStages(), { ui, configPath: opts.config, force: checkForce(opts.force), resume: opts.resume, detach: opts.detach, pollMs: opts.pollMs });
    if (opts.detach) return { runDir: config.out, outcomes: [] };
    ui.info('units:');
    for (const l of formatStatus(unitReport(config.out, submission))) ui.info(l);
    return summarize(config, stageOutcomes(config.out), ui);
  }
  return runConfigured(config, opts.force, ui);
}

/** The stages as run.json records them (after units ran elsewhere). */
function stageOutcomes(runDir: string): StageOutcome[] {
  const m = readManifest(runDir);
  return STAGE_NAMES.map((name) => {
    const r = m?.stages[name];
    const status = !r ? 'not-run' : r.status === 'done' ? (r.reused ? 'reused' : 'ran') : 'not-run';
    return { name, status, seconds: r?.seconds, reason: r?.status === 'done' ? undefined : r?.reason ?? r?.error ?? (r ? undefined : 'not submitted'), summary: r?.summary };
  });
}

/** `brain2music status RUN`: every unit of a run folder, with its Slurm job and log when it has one. */
export function runStatusCommand(runDir: string, ui: CliUi): UnitStatus[] {
  if (!existsSync(runDir)) fail('NOT_FOUND', `run folder ${runDir} does not exist; pass the "out" folder of a configuration.`);
  const rows = unitReport(runDir);
  for (const l of formatStatus(rows)) ui.info(l);
  return rows;
}

/** The machine-readable result of `run`/`demo --json`: stage outcomes, the summary metrics, the report. */
export function runResultJson(result: RunResult): Record<string, unknown> {
  const metrics = readRunJson<SummaryMetrics>(runPath(result.runDir, runLayout.metrics));
  return { runDir: result.runDir, stages: result.outcomes, metrics: metrics ?? null, report: result.report ?? null };
}
