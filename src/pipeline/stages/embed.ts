import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { openDataset, locateClipAudio, readClipExcerpt } from '../../bids/index.ts';
import { createEmbedder, embedClips, embedderNames, type ClipSource } from '../../embed/index.ts';
import { DEFAULT_MAX_PAD_SEC, readAudio } from '../../io/index.ts';
import { runLayout } from '../runLayout.ts';
import { datasetRoot, stimuliDir, type EmbeddingConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';

/** Models that read no audio (their vectors come from clip ids or captions). */
const TEXT_ONLY = new Set(['genre', 'clap-text']);

/** Run-relative outputs of one embedding model. */
export function embeddingOutputs(e: EmbeddingConfig): string[] {
  const f = runLayout.embedding(e.name);
  return [f.npy, f.json];
}

/**
 * embed: every stimulus clip of the dataset through each configured model, windowed every
 * `hopSec` within the 15 s clip, written as `RUN/embeddings/<model>.npy` (clips × windows × dim)
 * with its JSON. Clips are read from the stimulus folder; a file longer than the clip (a full
 * GTZAN track) is cut to the excerpt the events name, with the dataset's 2 s fades.
 */
export const embedStage: Stage = {
  name: 'embed',
  title: 'embed the stimulus clips with each embedding model',
  needs: [],
  async plan(ctx) {
    for (const e of ctx.config.embeddings) {
      if (!embedderNames().includes(e.name)) fail('BAD_INPUT', `embeddings: unknown model '${e.name}'; known models: ${embedderNames().join(', ')}.`);
    }
    const ds = await openDataset(datasetRoot(ctx.config));
    return {
      inputs: [stimuliDir(ctx.config)],
      outputs: ctx.config.embeddings.flatMap(embeddingOutputs),
      params: { embeddings: ctx.config.embeddings, clips: ds.clips.map((c) => [c.id, c.start, c.end]) },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const audio = locateClipAudio(stimuliDir(ctx.config), ds.clips.map((c) => c.id));
    // Short audio is padded with up to this much silence (recorded in the embeddings' JSON).
    const maxPadSec = DEFAULT_MAX_PAD_SEC;
    const clips: ClipSource[] = ds.clips.map((c) => ({
      id: c.id,
      file: audio.get(c.id),
      async load(sampleRate: number) {
        const path = audio.get(c.id)!;
        const a = await readAudio(path, { sampleRate });
        // Already the excerpt (simulated stimuli, prepared excerpts): use it; else cut it.
        if (Math.abs(a.samples.length / sampleRate - (c.end - c.start)) < 0.5) return a.samples;
        return readClipExcerpt(path, c, { sampleRate, maxPadSec });
      },
    }));
    const summary: Record<string, string> = {};
    for (const e of ctx.config.embeddings) {
      const embedder = await createEmbedder(e.name, { modelDir: e.modelDir, allowDownload: e.allowDownload, clipGenres: new Map(ds.clips.map((c) => [c.id, c.genre])) });
      const bar = ctx.progress(e.name);
      try {
        // The clip length from the schedule (15 s): a real excerpt can last 14.99 s.
        const clipSec = ds.schedule[0] ? ds.schedule[0].scansPerClip * ds.tr : 15;
        const res = await embedClips({
          embedder, clips, out: join(ctx.outDir, runLayout.embedding(e.name).npy), clipSec, maxPadSec,
          windowSec: e.windowSec ?? (embedder.windowSec > 0 ? embedder.windowSec : 10), hopSec: e.hopSec,
          needsAudio: !TEXT_ONLY.has(e.name), onProgress: bar.update, onWarning: (l) => ctx.ui.warn(`embed ${e.name}: ${l}`),
        });
        const nPadded = Object.keys(res.padded).length;
        summary[e.name] = `${res.meta.clipIds.length} clips × ${res.meta.windowStarts.length} windows × ${res.meta.dim} (${res.meta.version})${nPadded ? `, ${nPadded} padded with silence` : ''}`;
      } finally {
        bar.end();
        await embedder.dispose?.();
      }
    }
    return summary;
  },
};
