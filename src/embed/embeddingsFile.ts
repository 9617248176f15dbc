import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { readNpy, writeJsonAtomic, writeNpy } from '../io/index.ts';
import type { ClipWindows } from './clipWindows.ts';

/** `FILE.json` beside `FILE.npy`: what the array holds and how it was made. */
export interface EmbeddingsMeta {
  /** Registry name of the model (`builtin`, `clap`, …). */
  model: string;
  /** Model name and version (`builtin-1+sim-…`, `clap:<folder>`). */
  version: string;
  dim: number;
  /** Sample rate (Hz) the audio was embedded at. */
  sampleRate: number;
  windowSec: number;
  hopSec: number;
  clipSec: number;
  /** Window start times within each clip, seconds. */
  windowStarts: number[];
  /** Clip ids in row order of the array. */
  clipIds: string[];
  /**
   * Clips that were short and padded with silence at the end → seconds of silence (absent when
   * no clip was padded).
   */
  padded?: Record<string, number>;
  /** Where each clip's audio came from (absent for models that read no audio). */
  sources?: Record<string, ClipAudioSource>;
}

/** The audio a clip was embedded from: a file, and for an excerpt cut from a longer track, where. */
export interface ClipAudioSource {
  path: string;
  /** Excerpt start and end within the file, seconds (absent: the file is the clip). */
  start?: number;
  end?: number;
  /** Fade in and out applied to the excerpt, seconds. */
  fadeSec?: number;
}

/**
 * An embeddings file as read: its clip × window vectors (`name` the model, `source` the `.npy`
 * path; see {@link ClipWindows}) with the sidecar they came with.
 */
export interface EmbeddingsFile extends ClipWindows {
  meta: EmbeddingsMeta;
}

/** `FILE.npy` → `FILE.json`. */
export const metaPathOf = (npyPath: string): string => npyPath.replace(/\.npy$/i, '') + '.json';

/** Writes `FILE.npy` (float32 clips × windows × dim, `e.data`) and `FILE.json` (`e.meta`), each atomically (npy first). */
export function writeEmbeddings(npyPath: string, e: Pick<EmbeddingsFile, 'meta' | 'data'>): void {
  const { clipIds, windowStarts, dim } = e.meta;
  if (e.data.length !== clipIds.length * windowStarts.length * dim) {
    fail('INTERNAL', `embeddings hold ${e.data.length} values, expected ${clipIds.length} clips × ${windowStarts.length} windows × ${dim}.`);
  }
  writeNpy(npyPath, e.data, [clipIds.length, windowStarts.length, dim]);
  writeJsonAtomic(metaPathOf(npyPath), e.meta);
}

/** Reads `FILE.npy` + `FILE.json` and checks they agree. */
export function readEmbeddings(npyPath: string): EmbeddingsFile {
  const jsonPath = metaPathOf(npyPath);
  if (!existsSync(jsonPath)) fail('NOT_FOUND', `embeddings metadata ${jsonPath} is missing; it must sit beside ${npyPath} (written by 'brain2music embed').`);
  let meta: EmbeddingsMeta;
  try {
    meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as EmbeddingsMeta;
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${jsonPath}: ${(err as Error).message}`, err);
  }
  const arr = readNpy(npyPath);
  const shape = [meta.clipIds?.length, meta.windowStarts?.length, meta.dim];
  if (arr.shape.length !== 3 || arr.shape.some((s, i) => s !== shape[i])) {
    fail('MISMATCH', `${npyPath} has shape [${arr.shape.join(', ')}] but ${jsonPath} describes [${shape.join(', ')}] (clips × windows × dim).`);
  }
  const data = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data as ArrayLike<number>);
  return {
    // a user's file may name no model: its vectors are then just 'embedding'
    name: typeof meta.model === 'string' ? meta.model : 'embedding', source: npyPath, clipIds: meta.clipIds, nWindows: meta.windowStarts.length, dim: meta.dim,
    windowStarts: meta.windowStarts, windowSec: meta.windowSec, data, meta,
  };
}

/**
 * Embeddings of consecutive sets of clips (the shards of one model) as one file's: their rows in
 * the order given, the sidecar as one embedding of every clip would have written it.
 * @throws MISMATCH when the parts were made with different settings (model, windows, rate)
 */
export function concatEmbeddings(parts: readonly EmbeddingsFile[]): Pick<EmbeddingsFile, 'meta' | 'data'> {
  if (parts.length === 0) fail('INTERNAL', 'no embeddings to concatenate.');
  const settingsOf = ({ clipIds: _c, padded: _p, sources: _s, ...settings }: EmbeddingsMeta) => settings;
  const first = settingsOf(parts[0]!.meta);
  for (const p of parts) {
    if (JSON.stringify(settingsOf(p.meta)) !== JSON.stringify(first)) {
      fail('MISMATCH', `${p.source} was embedded with other settings than ${parts[0]!.source} (${JSON.stringify(settingsOf(p.meta)).slice(0, 200)}); embed every shard with the same model and settings.`);
    }
  }
  const padded = Object.assign({}, ...parts.map((p) => p.meta.padded ?? {})) as Record<string, number>;
  const sources = Object.assign({}, ...parts.map((p) => p.meta.sources ?? {})) as Record<string, ClipAudioSource>;
  const meta: EmbeddingsMeta = {
    ...first, clipIds: parts.flatMap((p) => p.meta.clipIds),
    ...(Object.keys(padded).length > 0 ? { padded } : {}), ...(Object.keys(sources).length > 0 ? { sources } : {}),
  };
  const data = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { meta, data };
}
