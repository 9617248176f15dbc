import { RETRIEVE_DEFAULTS } from '../defaults.ts';
import { Brain2MusicError } from '../errors.ts';
import type { Embedder } from '../embed/index.ts';
import { embedExcerpt, excerptSettings, type ExcerptOptions } from './embedExcerpt.ts';
import type { LibraryEntry, LibraryInfo, LibraryStore } from './libraryStore.ts';
import type { AudioTrack } from './listAudioTracks.ts';

/** Reads a file as mono samples at `sampleRate` Hz (e.g. dsp's `atRate` of io's `readAudio`). */
export type AudioLoader = (path: string, sampleRate: number) => Promise<Float32Array>;

export interface BuildLibraryOptions extends ExcerptOptions {
  tracks: readonly AudioTrack[];
  embedder: Embedder;
  loadAudio: AudioLoader;
  /** Tracks per commit to the table (default 256): an interrupt loses at most this many. */
  batchSize?: number;
  /** Called after every track: `done` of `total` tracks handled (stored, skipped or failed). */
  onProgress?: (done: number, total: number) => void;
  /** Stops after the current batch is committed; a later build resumes from there. */
  signal?: AbortSignal;
}

export interface BuildLibraryResult {
  total: number;
  /** Tracks embedded and stored by this call. */
  added: number;
  /** Tracks already in the library (from an earlier, possibly interrupted, build). */
  skipped: number;
  /** Tracks whose audio could not be read (corrupt or unsupported file), with the reason. */
  failed: { id: string; path: string; reason: string }[];
  /** True when `signal` stopped the build before the end. */
  aborted: boolean;
}

/**
 * Embeds the first seconds of every track (see {@link embedExcerpt}) and stores the vectors in
 * the library. Resumable: tracks whose id is already stored are skipped, and vectors are
 * committed in batches, so an interrupted build (crash, Ctrl-C, `signal`) keeps every finished
 * batch and the next call does only the rest. The first call records the model and excerpt
 * settings in the library; later calls must use the same ones.
 *
 * A file that cannot be decoded (a Brain2MusicError from `loadAudio`) is reported in `failed` and
 * the build goes on; any other error (e.g. from the model) stops it.
 */
export async function buildLibrary(store: LibraryStore, opts: BuildLibraryOptions): Promise<BuildLibraryResult> {
  const settings = excerptSettings(opts.embedder, opts);
  store.setInfo(libraryInfoOf(opts.embedder, settings));
  const batchSize = Math.max(1, opts.batchSize ?? RETRIEVE_DEFAULTS.batch);
  let batch: LibraryEntry[] = [];
  const result = await embedTracks(opts, await store.ids(), async (entry) => {
    batch.push(entry);
    if (batch.length >= batchSize) {
      await store.add(batch);
      batch = [];
    }
  });
  await store.add(batch);
  return result;
}

/** What a library records of the embedder and excerpt settings its vectors were made with. */
export function libraryInfoOf(embedder: Embedder, settings: Required<ExcerptOptions>): LibraryInfo {
  return { model: embedder.name, version: embedder.version, dim: embedder.dim, ...settings };
}

/**
 * The tracks not in `have`, embedded in order (see {@link embedExcerpt}) and handed to `onEntry`
 * (awaited); unreadable files are reported in `failed`, tracks in `have` counted as skipped.
 */
export async function embedTracks(opts: BuildLibraryOptions, have: Set<string>, onEntry: (entry: LibraryEntry) => Promise<void>): Promise<BuildLibraryResult> {
  const { tracks, embedder } = opts;
  const settings = excerptSettings(embedder, opts);
  const result: BuildLibraryResult = { total: tracks.length, added: 0, skipped: 0, failed: [], aborted: false };
  let done = 0;
  for (const track of tracks) {
    if (opts.signal?.aborted) { result.aborted = true; break; }
    if (have.has(track.id)) {
      result.skipped++;
    } else {
      let samples: Float32Array | null = null;
      try {
        samples = await opts.loadAudio(track.path, embedder.sampleRate);
      } catch (err) {
        if (!(err instanceof Brain2MusicError)) throw err;
        result.failed.push({ id: track.id, path: track.path, reason: err.message });
      }
      if (samples) {
        await onEntry({ id: track.id, path: track.path, genre: track.genre, vector: await embedExcerpt(samples, embedder, settings) });
        result.added++;
        have.add(track.id);
      }
    }
    opts.onProgress?.(++done, tracks.length);
  }
  return result;
}
