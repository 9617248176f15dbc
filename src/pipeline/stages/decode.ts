import { runLayout, runPath } from '../../run/index.ts';
import { decodeJob } from '../jobs/decode.ts';
import { readTargetEmbeddings } from '../jobs/readTargetEmbeddings.ts';
import type { Stage } from '../stage.ts';

/** decode: the decode job (see `jobs/decode.ts`) on the run's target embedding and subjects. */
export const decodeStage: Stage = {
  name: 'decode',
  title: 'decode the music embedding from each subject\'s brain responses',
  needs: ['embed'],
  after: ['simulate'],
  // the pooled cross-subject decoder needs every subject's responses at once: then one unit
  perSubject: ({ run }) => !run.config.decode.alignment || run.config.decode.alignment.method === 'none',
  plan({ run, runDir }) {
    const emb = runLayout.embedding(run.target.name);
    return {
      inputs: [...run.responseInputs, runPath(runDir, emb.npy), runPath(runDir, emb.json)],
      outputs: run.subjects().map((s) => runLayout.decodeDir(s)),
      params: { target: run.target.name, align: run.config.align, decode: run.config.decode, load: run.load },
    };
  },
  async run(ctx) {
    const { run } = ctx;
    const file = runPath(ctx.runDir, runLayout.embedding(run.target.name).npy);
    const { decode, align } = run.config;
    const res = await decodeJob(
      {
        dataset: run.dataset(), subjects: run.subjects(), embeddings: readTargetEmbeddings(file), embeddingsFile: file, target: run.target.name, load: run.load,
        lagTr: align.lagTr, scansPerClip: align.scansPerClip, topRois: decode.topRois, folds: decode.folds, cvScore: decode.cvScore, decoder: decode.voxels,
        alignment: decode.alignment, trainRuns: decode.trainRuns,
      },
      ctx.outDir,
      ctx.ui,
    );
    return res.summary;
  },
};
