import { join } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { createEmbedder } from '../../embed/index.ts';
import { openLibrary } from '../../library/index.ts';
import { runLayout, runPath } from '../runLayout.ts';
import { datasetRoot, type RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { decodeTarget, runSubjects } from './decode.ts';
import { createGenerationContext, generateSubject, libraryParamsFile, type GenerateSettings, type SubjectGenerationMetrics } from './generateSubject.ts';
import { libraryAudio } from './library.ts';

/** The generation settings of a run configuration with the stage's seed. */
export function generateSettings(config: RunConfig, seed: number): GenerateSettings {
  const g = config.generate!;
  return { generator: g.name, modelDir: g.modelDir, samples: g.samples, rerank: g.rerank, guidance: g.guidance, temperature: g.temperature, seed, durationSec: 15 };
}

/** One summary line: decoded, oracle and (when re-ranked) the un-re-ranked scores, each with chance. */
export function generationSummaryLine(m: SubjectGenerationMetrics): string {
  const f = (x: number) => x.toFixed(3);
  const rr = m.withoutRerank ? `; without re-ranking ${f(m.withoutRerank.identification.value)}, ${f(m.withoutRerank.genreAgreement.value)}` : '';
  return `identification ${f(m.identification.value)} (oracle ${f(m.oracle.identification.value)}, chance 0.5), genre agreement ${f(m.genreAgreement.value)} (oracle ${f(m.oracle.genreAgreement.value)}, chance ${f(m.genreAgreement.chance)})${rr}; nearest library clip: cosine ≤ ${f(m.novelty.maxCosine)}, cross-correlation ≤ ${f(m.novelty.maxCrossCorrelation)}`;
}

/**
 * generate: for every test clip of every subject, new music from the decoded embedding (the
 * time-average of its windows), optionally re-ranked by the subject's encoding model; the same
 * from the true embeddings (the oracle); all of it embedded with the decoding model and scored
 * against the original stimuli (identification, genre agreement, each with chance), and checked
 * against the library for copies. Writes `RUN/generated/<sub>/<clip>_<k>.wav`, `<clip>_<k>.json`
 * (what it was conditioned on) and `metrics.json`.
 */
export const generateStage: Stage = {
  name: 'generate',
  title: 'generate music from each decoded embedding',
  needs: ['decode', 'library'],
  async plan(ctx) {
    const g = ctx.config.generate;
    if (!g) return { skip: 'switched off ("generate": null)' };
    const params = libraryParamsFile(libraryAudio(ctx.config));
    if (g.name === 'builtin' && !params) return { skip: 'the builtin generator learns from a library with generating parameters (params.json), which this library lacks' };
    const ds = await openDataset(datasetRoot(ctx.config));
    const subjects = runSubjects(ctx.config, ds);
    return {
      inputs: [
        ...(params ? [params] : []), ...(g.modelDir ? [g.modelDir] : []), runPath(ctx.runDir, runLayout.library),
        ...Object.values(runLayout.embedding(decodeTarget(ctx.config))).map((p) => runPath(ctx.runDir, p)),
        ...subjects.map((s) => runPath(ctx.runDir, runLayout.decodeDir(s))),
        ...(g.rerank > 0 ? [datasetRoot(ctx.config)] : []),
      ],
      outputs: subjects.map((s) => `${runLayout.generated}/${s}`),
      params: { settings: generateSettings(ctx.config, ctx.seed), align: ctx.config.align },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const model = ctx.config.embeddings.find((e) => e.name === decodeTarget(ctx.config))!;
    const store = await openLibrary(runPath(ctx.runDir, runLayout.library));
    const library = await store.readAll();
    store.close();
    const settings = generateSettings(ctx.config, ctx.seed);
    const embedder = await createEmbedder(model.name, { modelDir: model.modelDir, allowDownload: model.allowDownload });
    const summary: Record<string, string> = {};
    try {
      const gctx = await createGenerationContext(library, libraryAudio(ctx.config), settings, embedder, model);
      for (const subject of runSubjects(ctx.config, ds)) {
        const bar = ctx.progress(`${subject} clips`);
        const m = await generateSubject(ds, subject, ctx.config, ctx.runDir, gctx, settings, join(ctx.outDir, runLayout.generated, subject), bar.update);
        bar.end();
        summary[subject] = generationSummaryLine(m);
      }
    } finally {
      await embedder.dispose?.();
    }
    return summary;
  },
};
