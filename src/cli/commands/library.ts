import { createEmbedder } from '../../embed/index.ts';
import { readAudio } from '../../io/index.ts';
import { buildLibrary, listAudioTracks, openLibrary, type BuildLibraryResult } from '../../library/index.ts';
import type { CliUi } from '../ui.ts';

export interface LibraryBuildOptions {
  /** Folder of audio files (searched recursively). */
  audio: string;
  /** Embedding model name (see `createEmbedder`), e.g. clap, builtin. */
  model: string;
  /** Library folder (LanceDB); created if missing, resumed if it exists. */
  db: string;
  /** Local model folder for models that need one (clap, w2vbert). */
  modelDir?: string;
  /** TSV with id and genre columns (default: library.tsv in the audio folder or its parent). */
  metadata?: string;
  /** Seconds embedded from the start of each track (default 15). */
  excerpt?: number;
  /** Also build an IVF_PQ index for `retrieve --search ann` (worth it from about 100k tracks). */
  ann?: boolean;
  /** Tracks per commit (default 16). */
  batch?: number;
}

/**
 * `brain2music library build --audio DIR --model NAME --db DIR`: embeds the first 15 s of every
 * track and stores the vectors with id, path and genre. Rerun the same command after an
 * interrupt: tracks already stored are skipped. Ctrl-C stops after the current batch is saved.
 */
export async function runLibraryBuild(opts: LibraryBuildOptions, ui: CliUi): Promise<BuildLibraryResult> {
  const tracks = listAudioTracks(opts.audio, { metadata: opts.metadata });
  const embedder = await createEmbedder(opts.model, { modelDir: opts.modelDir });
  const lib = await openLibrary(opts.db);
  const stop = new AbortController();
  const onSigint = () => {
    ui.warn('interrupted: saving the current batch; rerun the same command to resume.');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  const bar = ui.progress(`embedding ${tracks.length} tracks with ${embedder.name}`);
  try {
    const res = await buildLibrary(lib, {
      tracks,
      embedder,
      excerptSec: opts.excerpt,
      batchSize: opts.batch,
      signal: stop.signal,
      onProgress: bar.update,
      loadAudio: async (path, sampleRate) => (await readAudio(path, { sampleRate })).samples,
    });
    bar.end();
    for (const f of res.failed) ui.warn(`skipped ${f.path}: ${f.reason}`);
    ui.info(`library ${opts.db}: ${res.added} tracks added, ${res.skipped} already there, ${res.failed.length} unreadable; ${await lib.count()} in total (${embedder.name}, ${embedder.dim}-d).`);
    if (res.aborted) {
      ui.info('stopped early; rerun the same command to finish.');
    } else if (opts.ann) {
      const t0 = Date.now();
      await lib.createAnnIndex();
      ui.info(`built the IVF_PQ index in ${((Date.now() - t0) / 1000).toFixed(1)} s; search it with 'brain2music retrieve --search ann'.`);
    }
    return res;
  } finally {
    bar.end();
    process.removeListener('SIGINT', onSigint);
    await embedder.dispose?.();
    lib.close();
  }
}
