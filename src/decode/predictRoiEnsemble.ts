import { fail } from '../errors.ts';
import { predictRidge } from '../ridge/index.ts';
import type { RoiEnsemble } from './fitRoiEnsemble.ts';
import { selectStandardized } from './standardizer.ts';

/**
 * Predicted embeddings: each member ROI's ridge prediction from the rows' responses
 * (standardised with the training statistics), averaged over the k members.
 *
 * @param X `n × V` float32 row-major aligned responses (raw, as given to `fitRoiEnsemble`)
 * @returns `n × T` float32 row-major
 */
export async function predictRoiEnsemble(model: RoiEnsemble, X: Float32Array): Promise<Float32Array> {
  const V = model.nVoxels;
  const T = model.nTargets;
  if (X.length % V !== 0) fail('MISMATCH', `responses hold ${X.length} values, not a multiple of the decoder's ${V} voxels; use responses of the same subject and mask.`);
  const n = X.length / V;
  const sum = new Float64Array(n * T);
  for (const m of model.members) {
    const Xr = selectStandardized(X, n, V, m.roi.voxels, model.standardizer);
    const pred = await predictRidge(m.fit, { rows: n, cols: m.roi.voxels.length, data: Xr });
    for (let i = 0; i < n * T; i++) sum[i] += pred.data[i];
  }
  const out = new Float32Array(n * T);
  for (let i = 0; i < n * T; i++) out[i] = sum[i] / model.members.length;
  return out;
}
