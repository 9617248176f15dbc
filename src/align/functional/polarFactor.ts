import { eigh } from '../../linalg/index.ts';

/**
 * The orthonormal polar factor of a `q × k` row-major float64 matrix M (q ≥ k): the `q × k`
 * matrix W with WᵀW = I closest to M, i.e. W = M (MᵀM)^(-1/2) = U Vᵀ for the thin SVD M = U S Vᵀ.
 * This solves the orthogonal Procrustes problem min‖Z − S Wᵀ‖ over WᵀW = I with M = ZᵀS.
 * Computed from the eigendecomposition of the small k × k matrix MᵀM, so a 60k-voxel block costs one
 * q·k² product, not a q × q SVD. Directions of M with a singular value below 1e-7 of the largest
 * (MᵀM's eigenvalues below 1e-14 of its largest: rank deficiency) are left out (W has 0 there).
 */
export function polarFactor(m: Float64Array, q: number, k: number): Float64Array {
  const c = new Float64Array(k * k);
  for (let i = 0; i < q; i++) {
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const ma = m[o + a];
      if (ma === 0) continue;
      for (let b = a; b < k; b++) c[a * k + b] += ma * m[o + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) c[a * k + b] = c[b * k + a];
  const { values, vectors } = eigh(c, k);
  const max = values[k - 1];
  // R = Q diag(λ^-1/2) Qᵀ (k × k), W = M R
  const inv = values.map((l) => (l > 1e-14 * max && l > 0 ? 1 / Math.sqrt(l) : 0));
  const r = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += vectors[a * k + j] * inv[j] * vectors[b * k + j];
      r[a * k + b] = s;
    }
  }
  const w = new Float64Array(q * k);
  for (let i = 0; i < q; i++) {
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const ma = m[o + a];
      if (ma === 0) continue;
      for (let b = 0; b < k; b++) w[o + b] += ma * r[a * k + b];
    }
  }
  return w;
}
