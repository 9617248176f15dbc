import { join } from 'node:path';
import { concatEmbeddings, embedderInfo, readEmbeddings, writeEmbeddings, type EmbedClipsResult } from '../../embed/index.ts';
import { runLayout, runPath } from '../../run/index.ts';
import { datasetClips, datasetClipSec, embedJob } from '../jobs/embed.ts';
import type { EmbeddingConfig } from '../runConfig.ts';
import type { Stage, StageContext, StagePlan } from '../stage.ts';
import { shardRange } from '../jobs/shardRange.ts';

/** Run-relative outputs of one embedding model. */
export function embeddingOutputs(e: EmbeddingConfig): string[] {
  const f = runLayout.embedding(e.name);
  return [f.npy, f.json];
}

/** The models a unit embeds: its own (a per-model unit), or every configured one. */
function modelsOf({ run, scope }: StageContext): EmbeddingConfig[] {
  return run.config.embeddings.filter((e) => !scope?.model || e.name === scope.model);
}

/** What a shard unit writes, and a merge reads: shard k of n of a model's embeddings. */
function shardFiles(e: EmbeddingConfig, n: number): { npy: string; json: string }[] {
  return Array.from({ length: n }, (_, k) => runLayout.embeddingShard(e.name, k + 1, n));
}

/** One line per model for the stage table. */
function describe(res: Pick<EmbedClipsResult, 'meta' | 'padded'>): string {
  const m = res.meta;
  const nPadded = Object.keys(res.padded).length;
  return `${m.clipIds.length} clips × ${m.windowStarts.length} windows × ${m.dim} (${m.version})${nPadded ? `, ${nPadded} padded with silence` : ''}`;
}

/**
 * embed: the embed job (see `jobs/embed.ts`) for each configured model on the dataset's clips:
 * `RUN/embeddings/<model>.npy|.json`, one unit per model. Clips are read from the stimulus folder;
 * a file longer than the clip (a full GTZAN track) is cut to the excerpt the events name, with
 * the dataset's fades. With `shards.embed` n > 1, shard k embeds the k-th of n contiguous slices
 * of the clips into `RUN/shards/embed/<model>/`, and the model's unit concatenates them.
 */
export const embedStage: Stage = {
  name: 'embed',
  title: 'embed the stimulus clips with each embedding model',
  needs: [],
  after: ['simulate'],
  perModel: () => true,
  shards: ({ config }) => config.shards.embed,
  plan(ctx): StagePlan {
    const { run, scope, runDir } = ctx;
    const models = modelsOf(ctx);
    for (const e of models) embedderInfo(e.name);
    if (scope?.merge) {
      const files = models.flatMap((e) => shardFiles(e, scope.merge!.count));
      return { inputs: files.flatMap((f) => [runPath(runDir, f.npy), runPath(runDir, f.json)]), outputs: models.flatMap(embeddingOutputs), params: { embeddings: models, shards: scope.merge.count } };
    }
    const ds = run.dataset();
    const [c0, c1] = scope?.shard ? shardRange(ds.clips.length, scope.shard, 'shards.embed (clips of the dataset)') : [0, ds.clips.length];
    const readsCaptions = models.some((e) => embedderInfo(e.name).options.includes('captions'));
    const shard = scope?.shard;
    return {
      inputs: [...(models.some((e) => embedderInfo(e.name).needsAudio) ? [run.stimuliDir] : []), ...(readsCaptions && run.config.captions ? [run.config.captions] : [])],
      outputs: shard ? models.flatMap((e) => { const f = runLayout.embeddingShard(e.name, shard.index, shard.count); return [f.npy, f.json]; }) : models.flatMap(embeddingOutputs),
      params: { embeddings: models, clips: ds.clips.slice(c0, c1).map((c) => [c.id, c.start, c.end]), maxPadSec: run.config.maxPadSec },
    };
  },
  async run(ctx) {
    const { run, scope } = ctx;
    const summary: Record<string, string> = {};
    if (scope?.merge) {
      for (const e of modelsOf(ctx)) {
        const merged = concatEmbeddings(shardFiles(e, scope.merge.count).map((f) => readEmbeddings(runPath(ctx.runDir, f.npy))));
        writeEmbeddings(join(ctx.outDir, runLayout.embedding(e.name).npy), merged);
        summary[e.name] = `${describe({ meta: merged.meta, padded: merged.meta.padded ?? {} })}; ${scope.merge.count} shards`;
      }
      return summary;
    }
    const ds = run.dataset();
    const clipGenres = new Map(ds.clips.map((c) => [c.id, c.genre]));
    const clipSec = datasetClipSec(ds);
    const shard = scope?.shard;
    for (const e of modelsOf(ctx)) {
      const all = datasetClips(ds, run.stimuliDir, embedderInfo(e.name).needsAudio);
      const clips = shard ? all.slice(...shardRange(all.length, shard, 'shards.embed')) : all;
      const out = shard ? runLayout.embeddingShard(e.name, shard.index, shard.count).npy : runLayout.embedding(e.name).npy;
      const res = await embedJob({ clips, model: e, out: join(ctx.outDir, out), clipSec, captions: run.config.captions, clipGenres, maxPadSec: run.config.maxPadSec }, ctx.ui);
      summary[shard ? `${e.name} ${shard.index}-of-${shard.count}` : e.name] = describe(res);
    }
    return summary;
  },
};
