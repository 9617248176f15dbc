// Lanczos approximation (g = 7, 9 terms): relative error about 1e-15 for x > 0. Written here
// because no installed package offers log-gamma; the coefficients are the standard published ones.
const G = 7;
const C = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Natural log of the gamma function, ln Γ(x), for x > 0 (NaN otherwise).
 * @example logGamma(5) // → ln 24 ≈ 3.1780538303479458
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let a = C[0]!;
  for (let i = 1; i < C.length; i++) a += C[i]! / (z + i);
  const t = z + G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
