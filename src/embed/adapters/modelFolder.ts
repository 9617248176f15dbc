import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Brain2MusicError, fail } from '../../errors.ts';
import { threadBudget } from '../../threads.ts';

/** The transformers.js module, loaded lazily (it pulls in onnxruntime). */
export type Transformers = typeof import('@huggingface/transformers');

/** Where and how to load a transformers.js model: an id under `localModelPath`, or a hub id. */
export interface ModelSource {
  tf: Transformers;
  /** Id passed to `from_pretrained`: the folder's name (local) or the hub id (download). */
  id: string;
  /** Absolute folder (local) or null (loaded from the hub cache). */
  dir: string | null;
  /** `from_pretrained` options shared by every file of the model (ONNX Runtime's threads: the thread budget). */
  options: { local_files_only: boolean; dtype: 'fp32'; session_options: { intraOpNumThreads: number } };
}

/**
 * Resolves `modelDir` for an adapter. Locally (the default) the folder must exist and hold every
 * file in `expected`; a missing folder or file fails with NOT_FOUND naming the folder, the missing
 * files and the hub ids to fetch. With `allowDownload`, a `modelDir` that is not a local folder is
 * taken as a Hugging Face hub id (e.g. `Xenova/clap-htsat-unfused`) and fetched by transformers.js.
 */
export async function resolveModelSource(kind: string, modelDir: string | undefined, allowDownload: boolean | undefined, expected: readonly string[], hubIds: readonly string[], flag = '--model-dir'): Promise<ModelSource> {
  const how = `Download one of ${hubIds.join(', ')} on a connected machine (README, "Music embeddings") and pass its folder with ${flag}${flag === '--model-dir' ? ', or add --allow-download' : ''}.`;
  if (!modelDir) fail('BAD_INPUT', `the ${kind} model needs a model folder (${flag}) holding ${expected.join(', ')}. ${how}`);
  const dir = resolve(modelDir);
  const local = existsSync(dir) && statSync(dir).isDirectory();
  if (!local && !allowDownload) {
    fail('NOT_FOUND', `${kind} model folder '${dir}' does not exist; expected a folder with ${expected.join(', ')}. ${how}`);
  }
  if (local) {
    const missing = expected.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0 && !allowDownload) {
      fail('NOT_FOUND', `${kind} model folder '${dir}' is missing ${missing.join(', ')}; expected ${expected.join(', ')}. ${how}`);
    }
  }
  const tf = await import('@huggingface/transformers');
  tf.env.allowLocalModels = true;
  tf.env.allowRemoteModels = allowDownload === true;
  if (local) tf.env.localModelPath = dirname(dir) + '/';
  return { tf, id: local ? basename(dir) : modelDir, dir: local ? dir : null, options: { local_files_only: !allowDownload, dtype: 'fp32', session_options: { intraOpNumThreads: threadBudget() } } };
}

/** Reads and checks `config.json`'s `model_type` (local folders only). */
export function checkModelType(src: ModelSource, accepted: readonly string[], kind: string, flag = '--model-dir'): Record<string, unknown> | null {
  if (!src.dir) return null;
  const path = join(src.dir, 'config.json');
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${path}: ${(err as Error).message}. Re-download the ${kind} model folder.`, err);
  }
  if (!accepted.includes(String(config.model_type))) {
    fail('MISMATCH', `${path} has model_type '${String(config.model_type)}', but the ${kind} model needs ${accepted.join(' or ')}; point ${flag} at a ${kind} model folder.`);
  }
  return config;
}

/** Runs a transformers.js load step and turns its failure into BAD_FILE naming the folder. */
export async function loadStep<T>(kind: string, src: ModelSource, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof Brain2MusicError) throw err;
    return fail('BAD_FILE', `could not load the ${kind} ${what} from '${src.dir ?? src.id}': ${(err as Error).message}`, err);
  }
}
