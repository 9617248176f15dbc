import { libraryJob } from '../../pipeline/jobs/library.ts';
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
  /** Also build an IVF_PQ index for `retrieve --search ann` (worth it from about 100k tracks). */
  ann?: boolean;
  /** Tracks per commit (default 256). */
  batch?: number;
}

/**
 * `brain2music library build --audio DIR --model NAME --db DIR`: the library job (the pipeline's
 * library stage). Rerun the same command after an interrupt: tracks already stored are skipped.
 * Ctrl-C stops after the current batch is saved.
 */
export async function runLibraryBuild(opts: LibraryBuildOptions, ui: CliUi): Promise<BuildLibraryResult> {
  const stop = new AbortController();
  const onSigint = () => {
    ui.warn('interrupted: saving the current batch; rerun the same command to resume.');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await libraryJob({ audio: opts.audio, model: { name: opts.model, modelDir: opts.modelDir }, db: opts.db, metadata: opts.metadata, excerptSec: opts.excerpt, ann: opts.ann, batch: opts.batch, signal: stop.signal }, ui);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
