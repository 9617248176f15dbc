import { existsSync } from 'node:fs';
import { createEmbedder } from '../../embed/index.ts';
import { atRate } from '../../dsp/index.ts';
import { readAudio } from '../../io/index.ts';
import { RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { buildLibrary, embedTracks, excerptSettings, libraryInfoOf, listAudioTracks, openLibrary, readLibraryShard, storeLibraryShards, writeLibraryShard, wantsAnnIndex, type AnnChoice, type BuildLibraryResult, type LibraryEntry } from '../../library/index.ts';
import { shardRange } from './shardRange.ts';
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
  /** The IVF_PQ index for approximate search: true, false, or 'auto' (default: by the library's size). */
  ann?: AnnChoice;
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
    if (wantsAnnIndex(input.ann ?? RETRIEVE_DEFAULTS.ann, await lib.count()) && (res.added > 0 || !(await lib.hasAnnIndex()))) {
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

/** Tracks per commit when a merge stores shards: fewer, larger LanceDB fragments than a build's own commits. */
const MERGE_BATCH = 8192;

/**
 * One shard of a sharded library build (`shards.library`): the tracks of shard `index` of `count`
 * (contiguous in the sorted track list), embedded into `out` (`.npy` + `.json`, see
 * `LibraryShard`); tracks already in the library at `db`, when it exists, are left out. A library
 * of another model is refused here, before any track is embedded.
 */
export async function libraryShardJob(input: Omit<LibraryJobInput, 'db'> & { db?: string; shard: { index: number; count: number }; out: string }, reporter: Reporter): Promise<BuildLibraryResult> {
  const all = listAudioTracks(input.audio, { metadata: input.metadata });
  const tracks = all.slice(...shardRange(all.length, input.shard, 'shards.library (tracks of the library)'));
  const m = input.model;
  const embedder = await createEmbedder(m.name, { modelDir: m.modelDir, allowDownload: m.allowDownload, layer: m.layer });
  // a shared library's tracks are not embedded again; a run's own library is built by the merge alone
  const lib = input.db && existsSync(input.db) ? await openLibrary(input.db) : null;
  const bar = reporter.progress(`embedding ${tracks.length} tracks (shard ${input.shard.index} of ${input.shard.count}) with ${embedder.name}`);
  try {
    const opts = { tracks, embedder, excerptSec: input.excerptSec, hopSec: m.hopSec, windowSec: m.windowSec, onProgress: bar.update, loadAudio: async (path: string, sampleRate: number) => atRate(await readAudio(path), sampleRate) };
    const info = libraryInfoOf(embedder, excerptSettings(embedder, opts));
    if (lib?.info) lib.setInfo(info); // throws MISMATCH for a library of another model
    const entries: LibraryEntry[] = [];
    const res = await embedTracks(opts, lib ? await lib.ids() : new Set(), async (e) => void entries.push(e));
    bar.end();
    for (const f of res.failed) reporter.warn(`library: skipped ${f.path}: ${f.reason}`);
    writeLibraryShard(input.out, { info, entries, failed: res.failed, skipped: res.skipped });
    reporter.info(`library shard ${input.shard.index} of ${input.shard.count}: ${res.added} tracks embedded, ${res.skipped} already in the library, ${res.failed.length} unreadable.`);
    return res;
  } finally {
    bar.end();
    await embedder.dispose?.();
    lib?.close();
  }
}

/**
 * The merge of a sharded library build: the shards' tracks stored in the library at `db` in
 * track order, in large commits, then compacted (`optimize()`) and, with `ann`, indexed.
 */
export async function libraryMergeJob(input: { shards: readonly string[]; db: string; ann?: AnnChoice }, reporter: Reporter): Promise<BuildLibraryResult> {
  if (input.shards.length === 0) fail('INTERNAL', 'no library shards to merge.');
  const lib = await openLibrary(input.db);
  try {
    const res = await storeLibraryShards(lib, input.shards.map(readLibraryShard), MERGE_BATCH);
    reporter.info(`library ${input.db}: ${res.added} tracks added from ${input.shards.length} shards, ${res.skipped} already there, ${res.failed.length} unreadable; ${await lib.count()} in total.`);
    if (res.added > 0) await lib.optimize();
    if (wantsAnnIndex(input.ann ?? RETRIEVE_DEFAULTS.ann, await lib.count()) && (res.added > 0 || !(await lib.hasAnnIndex()))) await lib.createAnnIndex();
    return res;
  } finally {
    lib.close();
  }
}
