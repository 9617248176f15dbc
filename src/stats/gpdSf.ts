/**
 * Log of the generalized Pareto survival function at exceedance `y` ≥ 0 (location 0), in SciPy's
 * parameterization (`scipy.stats.genpareto(c = shape, scale)`): ln P(Y > y) = −(1/ξ)·ln(1 + ξy/σ),
 * and −y/σ at ξ = 0. ξ > 0 is a heavy (Pareto) tail, ξ < 0 a bounded one with its endpoint at
 * y = σ/|ξ|, beyond which the log-survival is −Infinity. y < 0 gives 0 (P = 1); NaN gives NaN.
 * (PALM and Hosking & Wallis write k = −ξ.)
 */
export function gpdLogSf(y: number, shape: number, scale: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  if (y <= 0) return 0;
  const z = (shape * y) / scale;
  // log1p keeps full precision for the tiniest ξ ≠ 0; only ξ = 0 itself needs the limit
  if (shape === 0) return -y / scale;
  if (z <= -1) return Number.NEGATIVE_INFINITY;
  return -Math.log1p(z) / shape;
}

/**
 * Generalized Pareto survival function P(Y > y) at exceedance `y` (location 0), SciPy's
 * parameterization (shape ξ = `c`, scale σ): (1 + ξy/σ)^(−1/ξ), exp(−y/σ) at ξ = 0, 0 beyond the
 * endpoint σ/|ξ| of a bounded tail (ξ < 0), 1 for y ≤ 0.
 * @example gpdSf(1, 0, 1) // → 0.36787944117144233 (= e⁻¹)
 */
export function gpdSf(y: number, shape: number, scale: number): number {
  return Math.exp(gpdLogSf(y, shape, scale));
}
