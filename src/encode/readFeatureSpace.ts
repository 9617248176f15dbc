import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fail } from '../errors.ts';
import { readNpy } from '../io/index.ts';
import { checkClipWindows, type ClipWindows } from '../embed/index.ts';

/**
 * Reads an embeddings file written by the embed stage (or by the user): `FILE.npy`, float
 * `clips × windows × dim` (or `clips × dim`, one window), and its sidecar `FILE.json` with
 * `clipIds` (one per clip) and, for several windows, `windowStarts` (s) and `windowSec`.
 * The space is named after the file (`music.npy` → `music`) unless `name` is given.
 */
export function readFeatureSpace(path: string, name?: string): ClipWindows {
  if (!path.endsWith('.npy')) fail('BAD_INPUT', `feature file ${path} must be a .npy (clips × windows × dim) with a .json sidecar.`);
  const jsonPath = path.slice(0, -4) + '.json';
  if (!existsSync(jsonPath)) fail('NOT_FOUND', `feature file ${path} has no sidecar ${jsonPath}; it must list clipIds (and windowStarts, windowSec), as 'brain2music embed' writes it.`);
  let meta: { clipIds?: unknown; windowStarts?: unknown; windowSec?: unknown };
  try {
    meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof meta;
  } catch (err) {
    fail('BAD_FILE', `cannot parse ${jsonPath}: ${(err as Error).message}`, err);
  }
  const arr = readNpy(path);
  if (arr.shape.length !== 2 && arr.shape.length !== 3) fail('BAD_FILE', `${path} has shape [${arr.shape.join(', ')}]; expected clips × windows × dim or clips × dim.`);
  const [nClips, nWindows, dim] = arr.shape.length === 3 ? arr.shape as [number, number, number] : [arr.shape[0]!, 1, arr.shape[1]!];
  if (!(arr.data instanceof Float32Array || arr.data instanceof Float64Array)) fail('BAD_FILE', `${path} holds ${arr.dtype}; embeddings must be float32 or float64.`);
  const clipIds = meta.clipIds;
  if (!Array.isArray(clipIds) || clipIds.length !== nClips || !clipIds.every((c) => typeof c === 'string')) {
    fail('BAD_FILE', `${jsonPath}: clipIds must be a list of ${nClips} strings (one per row of ${path}).`);
  }
  let windowStarts: number[] = [0];
  let windowSec = 0;
  if (meta.windowStarts !== undefined) {
    if (!Array.isArray(meta.windowStarts) || !meta.windowStarts.every((s) => typeof s === 'number')) fail('BAD_FILE', `${jsonPath}: windowStarts must be a list of numbers (seconds).`);
    windowStarts = meta.windowStarts as number[];
  } else if (nWindows !== 1) {
    fail('BAD_FILE', `${jsonPath}: ${nWindows} windows per clip but no windowStarts; add the window start times (s).`);
  }
  if (meta.windowSec !== undefined) {
    if (typeof meta.windowSec !== 'number' || !(meta.windowSec >= 0)) fail('BAD_FILE', `${jsonPath}: windowSec must be a non-negative number of seconds.`);
    windowSec = meta.windowSec;
  }
  const data = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data);
  return checkClipWindows({ name: name ?? basename(path, '.npy'), source: path, clipIds: clipIds as string[], data, nWindows, dim, windowStarts, windowSec });
}
