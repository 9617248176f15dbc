import { createEmbedder } from '../../embed/index.ts';
import { atRate } from '../../dsp/index.ts';
import { readAudio } from '../../io/index.ts';
import { buildLibrary, listAudioTracks, openLibrary, type BuildLibraryResult } from '../../library/index.ts';
import type { Reporter } from '../../progress.ts';
import type { EmbedModel } from './embed.ts';

export interface LibraryJobInput {
  /** Folder of audio files (searched recursively). */
  audio: string;
  /** The embedding model (the run's decoding target). */
  model: EmbedModel;
  /** Library folder (LanceDB); created if missing, resumed if it exists. */
  db: string;
  /** TSV with id and genre columns (default: library.tsv in the audio folder or its parent). */
  metadata?: string;
  /** Seconds embedded from the start of each track (default 15). */
  excerptSec?: number;
  /** Also build an IVF_PQ index for approximate search. */
  ann?: boolean;
  /** Tracks per commit (default 256). */
  batch?: number;
  /** Stops after the current batch is saved (a later build resumes). */
  signal?: AbortSignal;
}

/**
 * The library stage's job, run by `brain2music library build` and by the pipeline: the first
 * seconds of every track through the model, stored with id, path and genre in a LanceDB folder.
 * Resumable: tracks already stored are skipped.
 */
export async function libraryJob(input: LibraryJobInput, reporter: Reporter): Promise<BuildLibraryResult> {
  const tracks = listAudioTracks(input.audio, { metadata: input.metadata });
  const m = input.model;
  const embedder = await createEmbedder(m.name, { modelDir: m.modelDir, allowDownload: m.allowDownload, layer: m.layer });
  const lib = await openLibrary(input.db);
  const bar = reporter.progress(`embedding ${tracks.length} tracks with ${embedder.name}`);
  try {
    const res = await buildLibrary(lib, {
      tracks, embedder, excerptSec: input.excerptSec, hopSec: m.hopSec, windowSec: m.windowSec, batchSize: input.batch, signal: input.signal,
      onProgress: bar.update,
      loadAudio: async (path, sampleRate) => atRate(await readAudio(path), sampleRate),
    });
    bar.end();
    for (const f of res.failed) reporter.warn(`library: skipped ${f.path}: ${f.reason}`);
    reporter.info(`library ${input.db}: ${res.added} tracks added, ${res.skipped} already there, ${res.failed.length} unreadable; ${await lib.count()} in total (${embedder.name}, ${embedder.dim}-d).`);
    if (res.aborted) {
      reporter.info('stopped early; rerun the same command to finish.');
      return res;
    }
    if (res.added > 0) await lib.optimize();
    if (input.ann) {
      const t0 = Date.now();
      await lib.createAnnIndex();
      reporter.info(`built the IVF_PQ index in ${((Date.now() - t0) / 1000).toFixed(1)} s; search it with 'brain2music retrieve --search ann'.`);
    }
    return res;
  } finally {
    bar.end();
    await embedder.dispose?.();
    lib.close();
  }
}
