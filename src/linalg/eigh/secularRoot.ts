const EPS = Number.EPSILON;

/**
 * Root j (0-based) of the secular equation f(λ) = 1/ρ + Σ_i z_i²/(d_i − λ) = 0 of the
 * rank-one update D + ρ·z·zᵀ (d ascending and distinct, z without zeros, ρ > 0; the job of
 * LAPACK `laed4`). Root j lies in (d_j, d_{j+1}), the last in (d_{k−1}, d_{k−1} + ρ·zᵀz].
 *
 * The iteration runs on τ = λ − d_o with the origin o the pole nearer the root, so every
 * difference `delta[i] = d_i − λ = (d_i − d_o) − τ` comes out to high relative accuracy; the
 * eigenvector formulas need exactly those (Gu & Eisenstat). Each step fits f by
 * c + s/(δ_j − τ) + S/(δ_{j+1} − τ) (value and slope, the two nearest poles: Li's "middle way")
 * and takes the root of that model; a bracket kept from the signs of f turns any step that leaves
 * it into bisection, so the iteration always converges. It stops when |f| is below its rounding
 * error. Returns λ; fills delta (length ≥ k).
 */
export function secularRoot(k: number, d: Float64Array, z: Float64Array, rho: number, j: number, delta: Float64Array): number {
  const rhoInv = 1 / rho;
  if (k === 1) {
    delta[0] = -rho * z[0] * z[0];
    return d[0] + rho * z[0] * z[0];
  }
  const last = j === k - 1;
  let o: number; // origin pole
  let lo: number;
  let hi: number;
  let start = Number.NaN; // first iterate (else the middle of the bracket)
  if (last) {
    o = k - 1;
    let zz = 0;
    for (let i = 0; i < k; i++) zz += z[i] * z[i];
    lo = 0;
    hi = rho * zz;
  } else {
    const half = 0.5 * (d[j + 1] - d[j]);
    // f at the midpoint decides which pole the root is nearer (f increases on the interval);
    // the other poles' terms there (c) give the first guess: the root of
    // c + z_j²/(δ_j − τ) + z_{j+1}²/(δ_{j+1} − τ) (LAPACK laed4's start)
    let c = rhoInv;
    for (let i = 0; i < k; i++) if (i !== j && i !== j + 1) c += (z[i] * z[i]) / (d[i] - d[j] - half);
    const zj = z[j] * z[j];
    const zj1 = z[j + 1] * z[j + 1];
    if (c - zj / half + zj1 / half >= 0) {
      o = j;
      lo = 0;
      hi = half;
    } else {
      o = j + 1;
      lo = -half;
      hi = 0;
    }
    const dj = d[j] - d[o];
    const guess = twoPoleRoot(c, zj, zj1, dj, dj + 2 * half);
    start = guess > lo && guess < hi ? guess : Number.NaN;
  }
  const dOrigin = d[o];
  for (let i = 0; i < k; i++) delta[i] = d[i] - dOrigin;
  let tau = Number.isNaN(start) ? 0.5 * (lo + hi) : start;
  for (let iter = 0; iter < 200; iter++) {
    // ψ: poles left of the root (i ≤ j), φ: poles right of it
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    for (let i = 0; i <= j; i++) {
      const t = z[i] / (delta[i] - tau);
      psi += z[i] * t;
      dpsi += t * t;
    }
    for (let i = j + 1; i < k; i++) {
      const t = z[i] / (delta[i] - tau);
      phi += z[i] * t;
      dphi += t * t;
    }
    const f = rhoInv + psi + phi;
    const err = EPS * (8 * (phi - psi) + 2 * rhoInv + Math.abs(tau) * (dpsi + dphi));
    if (Math.abs(f) <= err || f === 0) break;
    if (f > 0) hi = tau;
    else lo = tau;
    if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
    let next = Number.NaN;
    if (last) {
      // one-pole model at the origin: c + s/(δ_o − τ − η), matched in value and slope
      const dk = delta[o] - tau;
      const s = dk * dk * dpsi;
      const c = f - dk * dpsi;
      if (c > 0) next = tau + dk + s / c;
    } else {
      const dj = delta[j] - tau;
      const dj1 = delta[j + 1] - tau;
      const s = dj * dj * dpsi;
      const bigS = dj1 * dj1 * dphi;
      next = tau + twoPoleRoot(f - dj * dpsi - dj1 * dphi, s, bigS, dj, dj1);
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
  }
  for (let i = 0; i < k; i++) delta[i] -= tau;
  return dOrigin + tau;
}

/**
 * The root η in (dj, dj1) of c + s/(dj − η) + S/(dj1 − η) (s, S ≥ 0, dj < dj1), i.e. of
 * c(dj − η)(dj1 − η) + s(dj1 − η) + S(dj − η) = 0, which changes sign on the interval; NaN when
 * rounding puts both roots of the quadratic outside it.
 */
function twoPoleRoot(c: number, s: number, bigS: number, dj: number, dj1: number): number {
  const qb = -(c * (dj + dj1) + s + bigS);
  const qc = c * dj * dj1 + s * dj1 + bigS * dj;
  if (c === 0) return -qc / qb;
  const disc = Math.sqrt(Math.max(0, qb * qb - 4 * c * qc));
  const q = -0.5 * (qb + (qb >= 0 ? disc : -disc));
  const r1 = q / c;
  if (r1 > dj && r1 < dj1) return r1;
  const r2 = q !== 0 ? qc / q : Number.NaN;
  return r2 > dj && r2 < dj1 ? r2 : Number.NaN;
}
