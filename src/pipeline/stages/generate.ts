import { GENERATE_DEFAULTS, RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { generatorInfo } from '../../generate/index.ts';
import { runLayout, runPath } from '../../run/index.ts';
import { stimulusParamsFile } from '../jobs/arrangementSpace.ts';
import { generateJob } from '../jobs/generate.ts';
import { libraryParamsFile, type GenerateSettings } from '../jobs/generateSubject.ts';
import type { RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';

/** The generation settings of a run configuration with the stage's seed. */
export function generateSettings(config: RunConfig, seed: number): GenerateSettings {
  const g = config.generate!;
  return { generator: g.name, modelDir: g.modelDir, samples: g.samples, rerank: g.rerank, guidance: g.guidance, temperature: g.temperature, seed, durationSec: GENERATE_DEFAULTS.durationSec, ...(g.tagger ? { tagger: g.tagger } : {}), ...(g.guide ? { guide: g.guide } : {}) };
}

/** generate: the generate job (see `jobs/generate.ts`) with the run's settings and the stage's seed. */
export const generateStage: Stage = {
  name: 'generate',
  title: 'generate music from each decoded embedding',
  needs: ['decode', 'library'],
  after: ['simulate'],
  perSubject: () => true,
  plan({ run, runDir, seed }) {
    const g = run.config.generate;
    if (!g) return { skip: 'switched off ("generate": null)' };
    const params = libraryParamsFile(run.libraryAudio);
    if (generatorInfo(g.name).needsParameters && !params) return { skip: `the ${g.name} generator learns from a library with generating parameters (params.json), which this library lacks` };
    const subjects = run.subjects();
    const stimulusParams = stimulusParamsFile(run.stimuliDir);
    return {
      inputs: [
        ...(params ? [params] : []), ...(stimulusParams ? [stimulusParams] : []), ...(g.modelDir ? [g.modelDir] : []), run.libraryDb,
        ...Object.values(runLayout.embedding(run.target.name)).map((p) => runPath(runDir, p)),
        ...subjects.map((s) => runPath(runDir, runLayout.decodeDir(s))),
        ...(g.rerank > 0 ? run.responseInputs : []),
        // class agreement tags the stimuli's audio; the guide embeds its bank (and, mapped linearly, the run's captions)
        ...(g.tagger ? [g.tagger, run.stimuliDir] : []),
        ...(g.guide ? [g.guide.bank, g.guide.modelDir, ...(run.config.captions ? [run.config.captions] : [])] : []),
      ],
      outputs: subjects.map((s) => `${runLayout.generated}/${s}`),
      params: {
        settings: generateSettings(run.config, seed), align: run.config.align,
        ...(run.config.retrieve.search !== RETRIEVE_DEFAULTS.search ? { search: run.config.retrieve.search } : {}),
        ...(g.tagger ? { maxPadSec: run.config.maxPadSec } : {}),
      },
    };
  },
  async run(ctx) {
    const { run } = ctx;
    const res = await generateJob(
      {
        runDir: ctx.runDir, dataset: run.dataset(), subjects: run.subjects(), model: run.target, db: run.libraryDb, libraryAudio: run.libraryAudio,
        settings: generateSettings(run.config, ctx.seed), responses: { load: run.load, ...run.config.align }, stimuliDir: run.stimuliDir, search: run.config.retrieve.search, captions: run.config.captions, maxPadSec: run.config.maxPadSec,
      },
      ctx.outDir,
      ctx.ui,
    );
    return res.summary;
  },
};
