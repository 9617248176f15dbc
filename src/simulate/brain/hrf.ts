/** ln Γ(x) for x > 0 (Lanczos, g = 7), enough for the HRF's shape parameters. */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function gammaPdf(t: number, shape: number): number {
  return t <= 0 ? 0 : Math.exp((shape - 1) * Math.log(t) - t - lnGamma(shape));
}

/**
 * canonicalHrf(dt, lengthSec) → the canonical double-gamma haemodynamic response (SPM's: peak
 * gamma of shape 6, undershoot of shape 16 at 1/6 amplitude, both with unit scale in seconds),
 * sampled every `dt` seconds from 0 for `lengthSec` (default 32 s), scaled to sum to 1.
 */
export function canonicalHrf(dt: number, lengthSec = 32): Float64Array {
  const n = Math.floor(lengthSec / dt) + 1;
  const h = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = i * dt;
    h[i] = gammaPdf(t, 6) - gammaPdf(t, 16) / 6;
    s += h[i];
  }
  for (let i = 0; i < n; i++) h[i] /= s;
  return h;
}
