import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { libraryJob, libraryMergeJob, libraryShardJob } from '../../pipeline/jobs/library.ts';
import type { BuildLibraryResult } from '../../library/index.ts';
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
  /** The IVF_PQ index for `retrieve --search ann`: true, false, or by size when absent. */
  ann?: boolean;
  /** Tracks per commit (default 256). */
  batch?: number;
  /** Embed only this shard of the tracks into `<db>/shards/` (then `library merge`). */
  shard?: { index: number; count: number };
}

/**
 * `brain2music library build --audio DIR --model NAME --db DIR`: the library job (the pipeline's
 * library stage). Rerun the same command after an interrupt: tracks already stored are skipped.
 * Ctrl-C stops after the current batch is saved. With `--shard K/N`, the shard job instead: the
 * K-th of N slices of the tracks into `<db>/shards/` (N such commands can run at once, on as many
 * machines), stored by `library merge`.
 */
export async function runLibraryBuild(opts: LibraryBuildOptions, ui: CliUi): Promise<BuildLibraryResult> {
  const stop = new AbortController();
  const onSigint = () => {
    ui.warn('interrupted: saving the current batch; rerun the same command to resume.');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const model = { name: opts.model, modelDir: opts.modelDir };
    if (opts.shard && opts.ann) fail('BAD_INPUT', '--ann builds the index of a whole library: give it to library merge, not to a --shard build.');
    if (opts.shard) return await libraryShardJob({ audio: opts.audio, model, db: opts.db, metadata: opts.metadata, excerptSec: opts.excerpt, shard: opts.shard, out: libraryShardFile(opts.db, opts.shard) }, ui);
    return await libraryJob({ audio: opts.audio, model: { name: opts.model, modelDir: opts.modelDir }, db: opts.db, metadata: opts.metadata, excerptSec: opts.excerpt, ann: opts.ann, batch: opts.batch, signal: stop.signal }, ui);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** `K/N` of `--shard`: shard K (1-based) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) fail('BAD_INPUT', `--shard must be K/N with 1 ≤ K ≤ N (e.g. 3/16), got '${text}'.`);
  return { index, count };
}

/** Where `library build --shard K/N` writes its shard, inside the library folder: `<db>/shards/K-of-N.npy|json`. */
export function libraryShardFile(db: string, shard: { index: number; count: number }): string {
  return join(db, 'shards', `${shard.index}-of-${shard.count}.npy`);
}

export interface LibraryMergeOptions {
  db: string;
  ann?: boolean;
}

/**
 * `brain2music library merge --db DIR`: the shards `library build --shard K/N` wrote into
 * `DIR/shards/` stored in the library in shard order (the rows of one unsharded build), then
 * compacted (and with `ann` indexed); the shard files are removed once they are stored. Every
 * shard 1..N must be there.
 * @throws NOT_FOUND naming the missing shards
 */
export async function runLibraryMerge(opts: LibraryMergeOptions, ui: CliUi): Promise<BuildLibraryResult> {
  const dir = join(opts.db, 'shards');
  const found = existsSync(dir) ? readdirSync(dir).map((n) => /^(\d+)-of-(\d+)\.npy$/.exec(n)).filter((m): m is RegExpExecArray => m !== null) : [];
  if (found.length === 0) fail('NOT_FOUND', `${dir} holds no library shards; write them with 'brain2music library build --db ${opts.db} --shard K/N …' first.`);
  const counts = [...new Set(found.map((m) => Number(m[2])))];
  if (counts.length > 1) fail('BAD_INPUT', `${dir} holds shards of ${counts.join(' and of ')}; keep the shards of one build (K-of-N with one N) and remove the others.`);
  const n = counts[0]!;
  const have = new Set(found.map((m) => Number(m[1])));
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !have.has(k));
  if (missing.length > 0) fail('NOT_FOUND', `shards ${missing.join(', ')} of ${n} are missing in ${dir}; run 'brain2music library build … --db ${opts.db} --shard ${missing[0]}/${n}' for each, then merge again.`);
  const res = await libraryMergeJob({ db: opts.db, ann: opts.ann, shards: Array.from({ length: n }, (_, i) => libraryShardFile(opts.db, { index: i + 1, count: n })) }, ui);
  rmSync(dir, { recursive: true, force: true });
  return res;
}
