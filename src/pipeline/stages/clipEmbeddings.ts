import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbeddings } from '../../embed/index.ts';
import { readNpy } from '../../io/index.ts';
import { runLayout, runPath, type DecodePredictionsInfo } from '../runLayout.ts';

/** Averages `n × windows × dim` over windows → `n × dim` (a clip-level embedding per clip). */
export function windowMean(data: Float32Array, n: number, windows: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let w = 0; w < windows; w++)
      for (let d = 0; d < dim; d++) out[i * dim + d]! += data[(i * windows + w) * dim + d]! / windows;
  return out;
}

/**
 * A subject's decoded test clips and the true embeddings of the same clips, both clip-level
 * (windows averaged), plus the per-window predictions as decoded.
 */
export function decodedAndTrue(runDir: string, subject: string, model: string): {
  clipIds: string[];
  dim: number;
  windows: number;
  predictedWindows: Float32Array;
  predicted: Float32Array;
  truth: Float32Array;
} {
  const dir = runPath(runDir, runLayout.decodeDir(subject));
  const info = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')) as DecodePredictionsInfo;
  const pred = readNpy(join(dir, 'predictions.npy'));
  const [n, W, dim] = pred.shape as [number, number, number];
  const predictedWindows = pred.data instanceof Float32Array ? pred.data : Float32Array.from(pred.data as ArrayLike<number>);
  const e = readEmbeddings(runPath(runDir, runLayout.embedding(model).npy));
  const rowOf = new Map(e.meta.clipIds.map((id, i) => [id, i]));
  const block = e.meta.windowStarts.length * e.meta.dim;
  const rows = new Float32Array(n * block);
  info.clipIds.forEach((id, i) => {
    const r = rowOf.get(id);
    if (r === undefined) throw new Error(`clip ${id} of ${subject}'s predictions is not in embeddings/${model}.npy`);
    rows.set(e.data.subarray(r * block, (r + 1) * block), i * block);
  });
  return { clipIds: info.clipIds, dim, windows: W, predictedWindows, predicted: windowMean(predictedWindows, n, W, dim), truth: windowMean(rows, n, e.meta.windowStarts.length, e.meta.dim) };
}
