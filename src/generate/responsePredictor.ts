import { fail } from '../errors.ts';
import { matrix, pearsonColumns } from '../linalg/index.ts';
import { fitRidgeCV, predictRidge, type RidgeFit } from '../ridge/index.ts';

/**
 * A window-level encoding model used to re-rank generated candidates (as Ciferri et al. 2025 do):
 * ridge from music embeddings to the aligned fMRI responses of the voxels the embedding predicts
 * best in cross-validation on the training clips (never the test clips).
 */
export interface ResponsePredictor {
  dim: number;
  /** Indices (into the response columns) of the voxels kept. */
  voxels: Int32Array;
  fit: RidgeFit;
}

/**
 * fitResponsePredictor(X, Y, n, dim, V, groups) fits the model on training windows.
 * @param X n × dim embeddings of training windows
 * @param Y n × V aligned responses of the same windows
 * @param groups clip index per window, so a clip's windows stay in one CV fold
 * @param maxVoxels how many best-predicted voxels to keep (default 2000)
 */
export async function fitResponsePredictor(
  X: Float32Array, Y: Float32Array, n: number, dim: number, V: number, groups: ArrayLike<number>, maxVoxels = 2000,
): Promise<ResponsePredictor> {
  if (X.length !== n * dim || Y.length !== n * V) fail('MISMATCH', `fitResponsePredictor: expected ${n}×${dim} embeddings and ${n}×${V} responses.`);
  const screen = await fitRidgeCV(matrix(n, dim, X), matrix(n, V, Y), { groups, folds: 5, score: 'r' });
  // best CV correlation per voxel: the screening uses training clips only
  const best = screen.bestCvScores;
  const order = Array.from({ length: V }, (_, v) => v).sort((p, q) => best[q]! - best[p]! || p - q);
  const voxels = Int32Array.from(order.slice(0, Math.min(maxVoxels, V)).sort((p, q) => p - q));
  const Ysel = new Float32Array(n * voxels.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < voxels.length; k++) Ysel[i * voxels.length + k] = Y[i * V + voxels[k]!]!;
  const fit = await fitRidgeCV(matrix(n, dim, X), matrix(n, voxels.length, Ysel), { groups, folds: 5, score: 'r' });
  return { dim, voxels, fit };
}

/** predictResponses(model, X, m) → m × |voxels| predicted responses for m windows' embeddings. */
export async function predictResponses(model: ResponsePredictor, X: Float32Array, m: number): Promise<Float32Array> {
  const out = await predictRidge(model.fit, matrix(m, model.dim, X));
  return out.data instanceof Float32Array ? out.data : Float32Array.from(out.data);
}

/**
 * Agreement between a candidate's predicted response and the measured one: Pearson r over all
 * (window, voxel) values, flattened. Higher means the candidate would evoke a more similar response.
 */
export function responseAgreement(predicted: Float32Array, measured: Float32Array): number {
  if (predicted.length !== measured.length) fail('MISMATCH', `responseAgreement: ${predicted.length} predicted vs ${measured.length} measured values.`);
  const r = pearsonColumns(matrix(predicted.length, 1, predicted), matrix(measured.length, 1, measured));
  return r[0]!;
}
