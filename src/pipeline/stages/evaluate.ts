import type { StageName } from '../../run/index.ts';
import { evaluateJob, evaluateSources, type EvaluateParts } from '../jobs/evaluate.ts';
import type { Stage, StageContext } from '../stage.ts';

/** The stages whose outputs the summary gathers: those that finished. */
function parts(ctx: StageContext): EvaluateParts {
  const done = (s: StageName) => ctx.previous[s]?.status === 'done';
  return { decode: done('decode'), retrieve: done('retrieve'), generate: done('generate'), encode: done('encode') };
}

/** evaluate: the evaluate job (see `jobs/evaluate.ts`) over the stages that finished: `RUN/metrics.json`. */
export const evaluateStage: Stage = {
  name: 'evaluate',
  title: 'gather every metric with its chance level into RUN/metrics.json',
  needs: ['decode'],
  after: ['simulate', 'retrieve', 'generate', 'encode'],
  plan(ctx) {
    const p = parts(ctx);
    return {
      inputs: ctx.run.subjects().flatMap((s) => evaluateSources(ctx.runDir, s, p)),
      outputs: ['metrics.json'],
      params: { stages: (Object.keys(p) as (keyof EvaluateParts)[]).filter((k) => p[k]) },
    };
  },
  async run(ctx) {
    const out = evaluateJob(ctx.runDir, ctx.run.subjects(), parts(ctx), ctx.outDir);
    return { subjects: Object.keys(out.subjects) };
  },
};
