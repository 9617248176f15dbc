import { fail } from '../../errors.ts';
import { eigh } from '../../linalg/index.ts';

/** z-scores are clipped to ±Z_CLIP before projecting, so one extreme feature cannot dominate. */
export const Z_CLIP = 8;

/**
 * A fitted linear projection: z-score each feature with the reference corpus's `mean` / `std`
 * (clipped to ±{@link Z_CLIP}), then project on the leading principal components.
 */
export interface Projection {
  nFeatures: number;
  dim: number;
  mean: Float64Array;
  std: Float64Array;
  /** `dim × nFeatures` row-major: row j is principal axis j (unit length). */
  components: Float64Array;
  /** Variance of the reference corpus along each axis (descending). */
  explained: Float64Array;
}

/**
 * Fits a {@link Projection} by PCA of the z-scored rows of `x` (`n × p`, row-major).
 * Constant features get std 1 (they then contribute 0). Deterministic: component signs are fixed
 * by making each axis's largest loading positive. Fitted offline (`npm run embed:refit`); the
 * shipped projection is read from its JSON file, so the embedder never runs this.
 */
export function fitProjection(x: Float64Array, n: number, p: number, dim: number): Projection {
  if (n < 2 || x.length !== n * p) fail('BAD_INPUT', `fitProjection needs at least 2 rows of ${p} features, got ${x.length} values for ${n} rows.`);
  if (dim > p) fail('BAD_INPUT', `cannot project ${p} features onto ${dim} dimensions; use dim <= ${p}.`);
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += x[i * p + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) std[j] += (x[i * p + j] - mean[j]) ** 2 / (n - 1);
  for (let j = 0; j < p; j++) std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1;
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) z[i * p + j] = clip((x[i * p + j] - mean[j]) / std[j]);
  const cov = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let a = 0; a < p; a++) {
      const za = z[row + a];
      if (za === 0) continue;
      for (let b = a; b < p; b++) cov[a * p + b] += za * z[row + b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) { cov[a * p + b] /= n - 1; cov[b * p + a] = cov[a * p + b]; }
  // eigh: ascending eigenvalues, eigenvectors as columns; the leading `dim` are taken from the top
  const { values, vectors } = eigh(cov, p);
  const components = new Float64Array(dim * p);
  const explained = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    const col = p - 1 - d;
    explained[d] = values[col];
    let big = 0;
    for (let j = 0; j < p; j++) if (Math.abs(vectors[j * p + col]) > Math.abs(big)) big = vectors[j * p + col];
    const sign = big < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) components[d * p + j] = sign * vectors[j * p + col];
  }
  return { nFeatures: p, dim, mean, std, components, explained };
}

const clip = (v: number): number => (v > Z_CLIP ? Z_CLIP : v < -Z_CLIP ? -Z_CLIP : v);

/** Projects one raw feature vector (`nFeatures`) into `out` (`dim`, written at `offset`). */
export function applyProjection(proj: Projection, features: ArrayLike<number>, out: Float32Array, offset = 0): void {
  const { nFeatures: p, dim, mean, std, components } = proj;
  if (features.length !== p) fail('INTERNAL', `projection expects ${p} features, got ${features.length}.`);
  const z = new Float64Array(p);
  for (let j = 0; j < p; j++) z[j] = clip((features[j] - mean[j]) / std[j]);
  for (let d = 0; d < dim; d++) {
    let acc = 0;
    const row = d * p;
    for (let j = 0; j < p; j++) acc += components[row + j] * z[j];
    out[offset + d] = acc;
  }
}
