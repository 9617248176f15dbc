import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEmbedder } from '../../embed/index.ts';
import { readAudio } from '../../io/index.ts';
import { buildLibrary, listAudioTracks, openLibrary } from '../../library/index.ts';
import { runLayout } from '../runLayout.ts';
import { datasetRoot, type RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { decodeTarget } from './decode.ts';

/** The library's audio folder: `library.audio`, else the simulated dataset's library, else none. */
export function libraryAudio(config: RunConfig): string | undefined {
  if (!config.library) return undefined;
  if (config.library.audio) return config.library.audio;
  const simulated = resolve(datasetRoot(config), 'library', 'audio');
  return existsSync(simulated) || 'simulate' in config.dataset ? simulated : undefined;
}

/**
 * library: the first 15 s of every library track through the decoding target's model, stored
 * in `RUN/library` (LanceDB) for retrieval.
 */
export const libraryStage: Stage = {
  name: 'library',
  title: 'embed the music library for retrieval',
  needs: [],
  plan(ctx) {
    if (!ctx.config.library) return { skip: 'switched off ("library": null)' };
    const audio = libraryAudio(ctx.config);
    if (!audio) return { skip: 'no library: set "library": { "audio": FOLDER } in the configuration' };
    if ('simulate' in ctx.config.dataset && ctx.config.dataset.simulate.library === 0 && !ctx.config.library.audio) return { skip: 'the simulated library is empty ("library": 0)' };
    const target = decodeTarget(ctx.config);
    const model = ctx.config.embeddings.find((e) => e.name === target)!;
    return { inputs: [audio], outputs: [runLayout.library], params: { model } };
  },
  async run(ctx) {
    const audio = libraryAudio(ctx.config)!;
    const target = decodeTarget(ctx.config);
    const model = ctx.config.embeddings.find((e) => e.name === target)!;
    const embedder = await createEmbedder(model.name, { modelDir: model.modelDir, allowDownload: model.allowDownload });
    const store = await openLibrary(join(ctx.outDir, runLayout.library));
    const bar = ctx.progress('tracks');
    try {
      const tracks = listAudioTracks(audio);
      const res = await buildLibrary(store, {
        tracks, embedder, hopSec: model.hopSec, windowSec: model.windowSec,
        loadAudio: async (path, sampleRate) => (await readAudio(path, { sampleRate })).samples,
        onProgress: bar.update,
      });
      for (const f of res.failed) ctx.ui.warn(`library: ${f.id} skipped: ${f.reason}`);
      return { tracks: res.total, added: res.added, failed: res.failed.length };
    } finally {
      bar.end();
      store.close();
      await embedder.dispose?.();
    }
  },
};
