import { existsSync } from 'node:fs';
import { GENERATE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import type { GeneratorName } from '../../generate/index.ts';
import { refreshRunMetrics } from '../../pipeline/jobs/evaluate.ts';
import { generateJob } from '../../pipeline/jobs/generate.ts';
import type { GenerateSettings, SubjectGenerationMetrics } from '../../pipeline/jobs/generateSubject.ts';
import { resolveRun, stageSeed, type RunConfig } from '../../pipeline/index.ts';
import { readManifest, runLayout, runPath, stagedWrite } from '../../run/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music generate`. */
export interface GenerateOptions {
  /** A run folder whose decode and library stages have finished. */
  run: string;
  /** `sub-001`, or `all`. */
  subject: string;
  generator?: GeneratorName;
  modelDir?: string;
  samples?: number;
  /** Candidates re-ranked by the subject's encoding model; true means the default 10. */
  rerank?: number | boolean;
  /** Draws per sample, the one closest to the conditioning embedding kept (1: none). */
  guidance?: number;
  temperature?: number;
  seed?: number;
  /** Seconds of music per sample (default 15, the stimuli's length). */
  durationSec?: number;
  /** AudioSet tagger (AST) folder: class agreement of the generated music (default: the run's). */
  tagger?: string;
}

/** The settings of a generate command: its flags, else the run's configuration, else the defaults. */
export function commandSettings(opts: GenerateOptions, config: RunConfig): GenerateSettings {
  const g = config.generate;
  return {
    generator: opts.generator ?? g?.name ?? 'builtin',
    modelDir: opts.modelDir ?? g?.modelDir,
    samples: opts.samples ?? g?.samples ?? GENERATE_DEFAULTS.samples,
    rerank: opts.rerank === true ? GENERATE_DEFAULTS.rerankCandidates : opts.rerank === false || opts.rerank === undefined ? (g?.rerank ?? GENERATE_DEFAULTS.rerank) : opts.rerank,
    guidance: opts.guidance ?? g?.guidance ?? GENERATE_DEFAULTS.guidance,
    temperature: opts.temperature ?? g?.temperature ?? GENERATE_DEFAULTS.temperature,
    seed: opts.seed ?? stageSeed(config.seed, 'generate'),
    durationSec: opts.durationSec ?? GENERATE_DEFAULTS.durationSec,
    ...(opts.tagger ?? g?.tagger ? { tagger: opts.tagger ?? g?.tagger } : {}),
    ...(g?.guide ? { guide: g.guide } : {}),
  };
}

/**
 * `brain2music generate --run RUN --subject sub-001`: the generate job (the pipeline's generate
 * stage) on a run folder: `RUN/generated/<sub>/<clip>_<k>.wav` (+ `.json`) with `metrics.json`,
 * all of it moved into place once written.
 */
export async function runGenerate(opts: GenerateOptions, ui: CliUi): Promise<Record<string, SubjectGenerationMetrics>> {
  const manifest = readManifest<RunConfig>(opts.run) ?? fail('NOT_FOUND', `${opts.run} has no run.json; give a run folder made by 'brain2music demo' or 'brain2music run'.`);
  const config: RunConfig = { ...manifest.config, out: opts.run, ...(opts.subject !== 'all' ? { subjects: [opts.subject] } : {}) };
  const run = resolveRun(config);
  const subjects = run.subjects();
  for (const s of subjects) {
    if (!existsSync(runPath(opts.run, `${runLayout.decodeDir(s)}/predictions.npy`))) fail('NOT_FOUND', `${s} has no decoded predictions in ${opts.run}; run the decode stage first ('brain2music run' or 'brain2music decode').`);
  }
  const db = run.libraryDb;
  if (!existsSync(db)) fail('NOT_FOUND', `${opts.run} has no music library; run the library stage first.`);
  const res = await stagedWrite(opts.run, 'brain2music generate', (outDir) =>
    generateJob(
      { runDir: opts.run, dataset: run.dataset(), subjects, model: run.target, db, libraryAudio: run.libraryAudio, settings: commandSettings(opts, manifest.config), responses: { load: run.load, ...config.align }, stimuliDir: run.stimuliDir, search: run.config.retrieve.search, captions: run.config.captions, maxPadSec: run.config.maxPadSec },
      outDir,
      ui,
    ), (r) => r.outputs);
  await stagedWrite(opts.run, 'brain2music generate', async (outDir) => refreshRunMetrics(opts.run, outDir), () => [runLayout.metrics]);
  ui.info(`wrote ${res.outputs.join(', ')} in ${opts.run}`);
  return res.metrics;
}
