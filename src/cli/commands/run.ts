import { existsSync } from 'node:fs';
import { fail } from '../../errors.ts';
import { loadRunConfig, runLayout, runPath, runPipeline, STAGE_NAMES, type RunConfig, type StageName, type StageOutcome } from '../../pipeline/index.ts';
import { availableStages } from '../../pipeline/stages/index.ts';
import { collectRun } from '../../report/index.ts';
import { readRunJson, type SummaryMetrics } from '../../run/index.ts';
import type { CliUi } from '../ui.ts';

export interface RunOptions {
  /** Path of the JSON configuration. */
  config: string;
  /** Stages to rerun even when their outputs are current. */
  force?: string[];
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

/**
 * The summary table: per subject, identification accuracy (test, train; with `decode --align` also
 * the pooled cross-subject decoder's, on the same test clips) and N-way top-1 with
 * their chance levels, retrieval agreement with oracle and chance, generation identification and
 * genre agreement with chance, and significant voxels per encoding feature space. Columns whose stage did not run show a dash.
 */
export function formatSummaryTable(runDir: string): string[] {
  const c = collectRun(runDir);
  if (c.subjects.length === 0) return ['  (no subject results in this run)'];
  // the pooled cross-subject decoder's identification beside the subject's own, when decode ran with --align
  const aligned = c.subjects.some((s) => s.decode?.metrics.aligned);
  const header = ['subject', 'id test', 'id train', ...(aligned ? ['id aligned'] : []), 'chance', 'N-way top-1', 'chance', 'retrieval genre', 'oracle', 'chance', 'generated id', 'oracle', 'chance', 'generated genre', 'oracle', 'chance', 'significant voxels'];
  const rows = c.subjects.map((s) => {
    const d = s.decode?.metrics;
    const r = s.retrieval?.genreAgreement;
    const enc = s.encode ? Object.entries(s.encode.summary.models).map(([n, m]) => `${n} ${m.nSignificant}`).join(', ') : '–';
    const g = s.generationMetrics;
    return [
      s.id, f3(d?.identificationTest.value), f3(d?.identificationTrain.value), ...(aligned ? [f3(d?.aligned?.identificationTest.value)] : []), f3(d?.identificationTest.chance), f3(d?.nWayTop1.value), f3(d?.nWayTop1.chance),
      f3(r?.value), f3(r?.oracle), f3(r?.chance), f3(g?.identification.value), f3(g?.oracle?.identification.value), f3(g?.identification.chance), f3(g?.genreAgreement.value), f3(g?.oracle?.genreAgreement.value), f3(g?.genreAgreement.chance), enc,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((x, i) => (i === 0 || i === cells.length - 1 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** Runs the pipeline for a validated configuration and prints what happened. */
export async function runConfigured(config: RunConfig, force: readonly string[] | undefined, ui: CliUi): Promise<RunResult> {
  const outcomes = await runPipeline(config, availableStages(), { ui, force: checkForce(force) });
  ui.info('stages:');
  for (const l of formatStageTable(outcomes)) ui.info(l);
  ui.info('summary (identification accuracy: chance 0.5; N-way top-1: chance 1/N):');
  for (const l of formatSummaryTable(config.out)) ui.info(l);
  const index = runPath(config.out, `${runLayout.report}/index.html`);
  const report = outcomes.find((o) => o.name === 'report')?.status === 'ran' || outcomes.find((o) => o.name === 'report')?.status === 'reused' ? index : undefined;
  if (report && existsSync(report)) ui.info(`report: ${report}  (open it in a browser, or: brain2music serve ${config.out})`);
  return { runDir: config.out, outcomes, report };
}

/** `brain2music run CONFIG.json`: the whole pipeline on the configured dataset, resuming in its run folder. */
export async function runRun(opts: RunOptions, ui: CliUi): Promise<RunResult> {
  const config = loadRunConfig(opts.config);
  ui.info(`run folder: ${config.out}`);
  return runConfigured(config, opts.force, ui);
}

/** The machine-readable result of `run`/`demo --json`: stage outcomes, the summary metrics, the report. */
export function runResultJson(result: RunResult): Record<string, unknown> {
  const metrics = readRunJson<SummaryMetrics>(runPath(result.runDir, runLayout.metrics));
  return { runDir: result.runDir, stages: result.outcomes, metrics: metrics ?? null, report: result.report ?? null };
}
