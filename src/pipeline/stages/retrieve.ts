import { runLayout, runPath } from '../../run/index.ts';
import { retrieveJob } from '../jobs/retrieve.ts';
import type { Stage } from '../stage.ts';

/** retrieve: the retrieve job (see `jobs/retrieve.ts`) on the run's library, with the stage's seed. */
export const retrieveStage: Stage = {
  name: 'retrieve',
  title: 'retrieve library music closest to each decoded embedding',
  needs: ['decode', 'library'],
  after: ['simulate'],
  perSubject: () => true,
  plan({ run, runDir, seed }) {
    const subjects = run.subjects();
    const emb = runLayout.embedding(run.target.name);
    return {
      inputs: [run.libraryDb, runPath(runDir, emb.npy), ...subjects.map((s) => runPath(runDir, runLayout.decodeDir(s)))],
      outputs: subjects.map((s) => runLayout.retrievalFile(s)),
      params: { ...run.config.retrieve, seed },
    };
  },
  async run(ctx) {
    const { run } = ctx;
    const { k, hubness, search } = run.config.retrieve;
    const res = await retrieveJob({ runDir: ctx.runDir, db: run.libraryDb, subjects: run.subjects(), target: run.target.name, genreOf: run.genreOf, k, hubness, search, seed: ctx.seed }, ctx.outDir, ctx.ui);
    return res.summary;
  },
};
