import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { createEmbedder } from '../../embed/index.ts';
import { fail } from '../../errors.ts';
import { openLibrary } from '../../library/index.ts';
import { DEFAULT_GUIDANCE, datasetRoot, readManifest, runLayout, runPath, stageSeed, withRunLock, type RunConfig } from '../../pipeline/index.ts';
import { decodeTarget, runSubjects } from '../../pipeline/stages/decode.ts';
import { generationSummaryLine } from '../../pipeline/stages/generate.ts';
import { createGenerationContext, generateSubject, type GenerateSettings, type SubjectGenerationMetrics } from '../../pipeline/stages/generateSubject.ts';
import { libraryAudio } from '../../pipeline/stages/library.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music generate`. */
export interface GenerateOptions {
  /** A run folder whose decode and library stages have finished. */
  run: string;
  /** `sub-001`, or `all`. */
  subject: string;
  generator?: 'builtin' | 'musicgen';
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
}

/**
 * `brain2music generate --run RUN --subject sub-001`: music from the subject's decoded embeddings,
 * written to `RUN/generated/<sub>/<clip>_<k>.wav` (+ `.json`) with `metrics.json`; each subject's
 * folder is replaced only once all of it is written.
 */
export async function runGenerate(opts: GenerateOptions, ui: CliUi): Promise<Record<string, SubjectGenerationMetrics>> {
  const manifest = readManifest(opts.run) ?? fail('NOT_FOUND', `${opts.run} has no run.json; give a run folder made by 'brain2music demo' or 'brain2music run'.`);
  return withRunLock(opts.run, () => generateInto(opts, manifest.config, ui));
}

async function generateInto(opts: GenerateOptions, config: RunConfig, ui: CliUi): Promise<Record<string, SubjectGenerationMetrics>> {
  const target = decodeTarget(config);
  const model = config.embeddings.find((e) => e.name === target)!;
  const ds = await openDataset(datasetRoot(config));
  const subjects = opts.subject === 'all' ? runSubjects(config, ds) : runSubjects({ ...config, subjects: [opts.subject] }, ds);
  for (const s of subjects) {
    if (!existsSync(runPath(opts.run, `${runLayout.decodeDir(s)}/predictions.npy`))) fail('NOT_FOUND', `${s} has no decoded predictions in ${opts.run}; run the decode stage first ('brain2music run' or 'brain2music decode').`);
  }
  if (!existsSync(runPath(opts.run, runLayout.library))) fail('NOT_FOUND', `${opts.run} has no music library; run the library stage first.`);
  const g = config.generate;
  const settings: GenerateSettings = {
    generator: opts.generator ?? g?.name ?? 'builtin',
    modelDir: opts.modelDir ?? g?.modelDir,
    samples: opts.samples ?? g?.samples ?? 1,
    rerank: opts.rerank === true ? 10 : opts.rerank === false || opts.rerank === undefined ? (g?.rerank ?? 0) : opts.rerank,
    guidance: opts.guidance ?? g?.guidance ?? DEFAULT_GUIDANCE,
    temperature: opts.temperature ?? g?.temperature ?? 1,
    seed: opts.seed ?? stageSeed(config.seed, 'generate'),
    durationSec: opts.durationSec ?? 15,
  };
  const store = await openLibrary(runPath(opts.run, runLayout.library));
  const library = await store.readAll();
  store.close();
  const embedder = await createEmbedder(model.name, { modelDir: model.modelDir, allowDownload: model.allowDownload });
  const out: Record<string, SubjectGenerationMetrics> = {};
  try {
    const ctx = await createGenerationContext(library, libraryAudio(config), settings, embedder, model);
    for (const subject of subjects) {
      const final = runPath(opts.run, `${runLayout.generated}/${subject}`);
      const staging = `${final}.partial`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      const bar = ui.progress(`${subject} generating`);
      try {
        out[subject] = await generateSubject(ds, subject, config, opts.run, ctx, settings, staging, bar.update);
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        throw err;
      } finally {
        bar.end();
      }
      rmSync(final, { recursive: true, force: true });
      renameSync(staging, final);
      ui.info(`${subject}: ${generationSummaryLine(out[subject]!)}`);
    }
  } finally {
    await embedder.dispose?.();
  }
  ui.info(`wrote ${subjects.map((s) => join(opts.run, runLayout.generated, s)).join(', ')}`);
  return out;
}
