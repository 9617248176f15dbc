// Model folders run directly by onnxruntime-node (exports transformers.js cannot load: MuQ-MuLan,
// codec encoders): the folder check, the session, and one window per run.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { fail } from '../../errors.ts';
import { threadBudget } from '../../threads.ts';
import { stack } from './clap.ts';

/** The folder, checked for `files`; NOT_FOUND names what is missing and `how` (what to download). */
export function onnxModelFolder(kind: string, modelDir: string | undefined, files: readonly string[], how: string): string {
  if (!modelDir) fail('BAD_INPUT', `the ${kind} embedder needs a model folder (--model-dir) holding ${files.join(', ')}. ${how}`);
  const dir = resolve(modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail('NOT_FOUND', `${kind} model folder '${dir}' does not exist; expected a folder with ${files.join(', ')}. ${how}`);
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) fail('NOT_FOUND', `${kind} model folder '${dir}' is missing ${missing.join(', ')}; expected ${files.join(', ')}. ${how}`);
  return dir;
}

/** An ONNX Runtime session on the thread budget; a file it cannot load is BAD_FILE with `hint`. */
export async function openOnnxSession(path: string, hint: string): Promise<{ ort: typeof import('onnxruntime-node'); session: InferenceSession }> {
  const ort = await import('onnxruntime-node');
  try {
    return { ort, session: await ort.InferenceSession.create(path, { intraOpNumThreads: threadBudget(), interOpNumThreads: 1 }) };
  } catch (err) {
    return fail('BAD_FILE', `could not load ${path} with ONNX Runtime: ${(err as Error).message}. ${hint}`, err);
  }
}

/** embed() of a model that takes one window per run (exports with batch 1). */
export function oneWindowAtATime(embedOne: (w: Float32Array) => Promise<Float32Array>, dim: number): (windows: Float32Array[]) => Promise<Float32Array> {
  return async (windows) => {
    const rows: Float32Array[] = [];
    for (const w of windows) rows.push(await embedOne(w));
    return stack(rows, dim);
  };
}

/** Runs the rest of an adapter's set-up, releasing the session when it fails (a refused folder holds no native memory). */
export async function releasingOnError<T>(session: InferenceSession, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (err) {
    await session.release();
    throw err;
  }
}
