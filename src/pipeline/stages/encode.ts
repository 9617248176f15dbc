import type { ClipWindows } from '../../embed/index.ts';
import { genreOneHot, readFeatureSpace, type EncodingModelSpec } from '../../encode/index.ts';
import { runLayout, runPath } from '../../run/index.ts';
import { encodeJob } from '../jobs/encode.ts';
import type { ResolvedRun } from '../resolveRun.ts';
import type { Stage } from '../stage.ts';

/** One model per encoding space of the run: an embedding of `RUN/embeddings/`, or the genre one-hot control. */
export function encodeModels(run: ResolvedRun, runDir: string): EncodingModelSpec[] {
  return run.encodeSpaces.map((name) => {
    const space: ClipWindows = name === 'genre' ? genreOneHot(run.dataset().clips.map((c) => ({ id: c.id, genre: c.genre }))) : readFeatureSpace(runPath(runDir, runLayout.embedding(name).npy));
    return { name: space.name, spaces: [space] };
  });
}

/**
 * encode: the encode job (see `jobs/encode.ts`) on every encoding space of the run, with the
 * stage's seed, one unit per subject. With `shards.encode` n > 1, block k fits the k-th of n
 * slices of the subject's voxels into `RUN/shards/encode/<sub>/`, and the subject's unit puts
 * them together (BH FDR over every voxel) and writes the maps.
 */
export const encodeStage: Stage = {
  name: 'encode',
  title: 'map where each kind of music information is encoded (voxelwise models, FDR)',
  needs: ['embed'],
  after: ['simulate'],
  perSubject: () => true,
  shards: ({ config }) => config.shards.encode,
  plan({ run, runDir, seed, scope }) {
    if (!run.config.encode) return { skip: 'switched off ("encode": null)' };
    const spaces = run.encodeSpaces;
    const inputs = [...run.responseInputs, ...spaces.filter((s) => s !== 'genre').flatMap((s) => Object.values(runLayout.embedding(s)).map((p) => runPath(runDir, p)))];
    const params = { spaces, encode: run.config.encode, lagTr: run.config.align.lagTr, load: run.load, seed };
    const block = scope?.shard;
    if (block) return { inputs, outputs: run.subjects().map((s) => runLayout.encodeShard(s, block.index, block.count)), params: { ...params, block } };
    const merge = scope?.merge;
    if (merge) {
      const blocks = run.subjects().flatMap((s) => Array.from({ length: merge.count }, (_, k) => runPath(runDir, runLayout.encodeShard(s, k + 1, merge.count))));
      return { inputs: [...inputs, ...blocks], outputs: run.subjects().map((s) => runLayout.encodeDir(s)), params: { ...params, blocks: merge.count } };
    }
    return { inputs, outputs: run.subjects().map((s) => runLayout.encodeDir(s)), params };
  },
  async run(ctx) {
    const { run } = ctx;
    const cfg = run.config.encode!;
    const res = await encodeJob(
      {
        dataset: run.dataset(), subjects: run.subjects(), models: encodeModels(run, ctx.runDir), load: run.load,
        scansPerClip: run.config.align.scansPerClip, null: cfg.null, folds: cfg.folds, fdrQ: cfg.fdrQ, nPerm: cfg.nPerm, pTail: cfg.pTail, seed: ctx.seed,
        blocks: ctx.scope?.shard ? { fit: ctx.scope.shard } : ctx.scope?.merge ? { merge: { count: ctx.scope.merge.count, blocksDir: ctx.runDir } } : undefined,
      },
      ctx.outDir,
      ctx.ui,
    );
    return res.summary;
  },
};
