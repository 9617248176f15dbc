import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { readNpy, writeJsonAtomic, writeNpy } from '../io/index.ts';
import type { BuildLibraryResult } from './buildLibrary.ts';
import type { LibraryEntry, LibraryInfo, LibraryStore } from './libraryStore.ts';

/**
 * One shard of a library build: the vectors of a contiguous slice of its tracks, embedded by one
 * unit and stored in the library by the merge (`FILE.npy`, tracks × dim float32, and `FILE.json`).
 */
export interface LibraryShard {
  info: LibraryInfo;
  entries: LibraryEntry[];
  /** Tracks of the slice whose audio could not be read. */
  failed: BuildLibraryResult['failed'];
  /** Tracks of the slice already in the library when the shard was embedded. */
  skipped: number;
}

const metaPath = (npy: string) => npy.replace(/\.npy$/, '.json');

export function writeLibraryShard(npyPath: string, shard: LibraryShard): void {
  const { dim } = shard.info;
  const vectors = new Float32Array(shard.entries.length * dim);
  shard.entries.forEach((e, i) => vectors.set(e.vector, i * dim));
  writeNpy(npyPath, vectors, [shard.entries.length, dim]);
  writeJsonAtomic(metaPath(npyPath), {
    info: shard.info, ids: shard.entries.map((e) => e.id), paths: shard.entries.map((e) => e.path), genres: shard.entries.map((e) => e.genre),
    failed: shard.failed, skipped: shard.skipped,
  });
}

export function readLibraryShard(npyPath: string): LibraryShard {
  const json = metaPath(npyPath);
  if (!existsSync(json)) fail('NOT_FOUND', `library shard ${json} is missing; run the shard's unit again (brain2music run CONFIG --unit library:<k>-of-<n>).`);
  let meta: { info: LibraryInfo; ids: string[]; paths: string[]; genres: (string | null)[]; failed: LibraryShard['failed']; skipped: number };
  try {
    meta = JSON.parse(readFileSync(json, 'utf8'));
  } catch (err) {
    return fail('BAD_FILE', `cannot parse library shard ${json}: ${(err as Error).message}; run its unit again.`, err);
  }
  const arr = readNpy(npyPath);
  const dim = meta.info.dim;
  if (arr.shape.length !== 2 || arr.shape[0] !== meta.ids.length || arr.shape[1] !== dim) {
    fail('MISMATCH', `${npyPath} has shape [${arr.shape.join(', ')}] but ${json} lists ${meta.ids.length} tracks of ${dim}-d vectors; run its unit again.`);
  }
  const data = arr.data as Float32Array;
  return {
    info: meta.info, failed: meta.failed, skipped: meta.skipped,
    entries: meta.ids.map((id, i) => ({ id, path: meta.paths[i]!, genre: meta.genres[i] ?? null, vector: data.slice(i * dim, (i + 1) * dim) })),
  };
}

/**
 * Stores the shards' tracks in the library in shard order (the rows one unsharded build stores),
 * in commits of `batch` tracks; tracks already there are skipped, so a merge that was interrupted
 * resumes. Every shard must have been made with the library's model and settings.
 */
export async function storeLibraryShards(store: LibraryStore, shards: readonly LibraryShard[], batch: number): Promise<BuildLibraryResult> {
  const result: BuildLibraryResult = { total: 0, added: 0, skipped: 0, failed: [], aborted: false };
  // every shard checked before the first track is stored: a mismatch leaves the library as it was
  const info = shards[0]?.info;
  const other = shards.findIndex((s) => JSON.stringify(s.info) !== JSON.stringify(info));
  if (other >= 0) fail('MISMATCH', `library shard ${other + 1} was embedded with ${shards[other]!.info.model} (${shards[other]!.info.version}), shard 1 with ${info!.model} (${info!.version}); embed every shard with the same model and settings.`);
  if (info) store.setInfo(info);
  const have = await store.ids();
  for (const shard of shards) {
    const fresh = shard.entries.filter((e) => !have.has(e.id));
    for (let i = 0; i < fresh.length; i += batch) await store.add(fresh.slice(i, i + batch));
    result.total += shard.entries.length + shard.failed.length + shard.skipped;
    result.added += fresh.length;
    result.skipped += shard.skipped + shard.entries.length - fresh.length;
    result.failed.push(...shard.failed);
  }
  return result;
}
