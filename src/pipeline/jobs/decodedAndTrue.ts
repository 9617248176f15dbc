import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbeddings, rowsFor } from '../../embed/index.ts';
import { averageWindows } from '../../evaluate/index.ts';
import { readNpy } from '../../io/index.ts';
import { runLayout, runPath, type DecodePredictionsInfo } from '../../run/index.ts';


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
  const rows = rowsFor(e, info.clipIds, `named in ${join(dir, 'predictions.json')}`);
  return { clipIds: info.clipIds, dim, windows: W, predictedWindows, predicted: averageWindows(predictedWindows, n, W, dim), truth: averageWindows(rows, n, e.nWindows, e.dim) };
}
