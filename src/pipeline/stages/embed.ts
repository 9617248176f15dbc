import { join } from 'node:path';
import { embedderInfo } from '../../embed/index.ts';
import { runLayout } from '../../run/index.ts';
import { datasetClips, datasetClipSec, embedJob } from '../jobs/embed.ts';
import type { EmbeddingConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';

/** Run-relative outputs of one embedding model. */
export function embeddingOutputs(e: EmbeddingConfig): string[] {
  const f = runLayout.embedding(e.name);
  return [f.npy, f.json];
}

/**
 * embed: the embed job (see `jobs/embed.ts`) for each configured model on the dataset's clips:
 * `RUN/embeddings/<model>.npy|.json`. Clips are read from the stimulus folder; a file longer than
 * the clip (a full GTZAN track) is cut to the excerpt the events name, with the dataset's fades.
 */
export const embedStage: Stage = {
  name: 'embed',
  title: 'embed the stimulus clips with each embedding model',
  needs: [],
  after: ['simulate'],
  plan({ run }) {
    const models = run.config.embeddings;
    for (const e of models) embedderInfo(e.name);
    const ds = run.dataset();
    const reads = (names: string[]) => models.some((e) => names.includes(e.name));
    return {
      inputs: [...(models.some((e) => embedderInfo(e.name).needsAudio) ? [run.stimuliDir] : []), ...(reads(['clap-text']) && run.config.captions ? [run.config.captions] : [])],
      outputs: models.flatMap(embeddingOutputs),
      params: { embeddings: models, clips: ds.clips.map((c) => [c.id, c.start, c.end]), maxPadSec: run.config.maxPadSec },
    };
  },
  async run(ctx) {
    const { run } = ctx;
    const ds = run.dataset();
    const clipGenres = new Map(ds.clips.map((c) => [c.id, c.genre]));
    const clipSec = datasetClipSec(ds);
    const summary: Record<string, string> = {};
    for (const e of run.config.embeddings) {
      const clips = datasetClips(ds, run.stimuliDir, embedderInfo(e.name).needsAudio);
      const res = await embedJob({ clips, model: e, out: join(ctx.outDir, runLayout.embedding(e.name).npy), clipSec, captions: run.config.captions, clipGenres, maxPadSec: run.config.maxPadSec }, ctx.ui);
      const nPadded = Object.keys(res.padded).length;
      summary[e.name] = `${res.meta.clipIds.length} clips × ${res.meta.windowStarts.length} windows × ${res.meta.dim} (${res.meta.version})${nPadded ? `, ${nPadded} padded with silence` : ''}`;
    }
    return summary;
  },
};
