import { betaIncReg } from './betaIncReg.ts';

/** The x in [0, 1] with I_x(a, b) = q, by bisection (I_x is increasing in x): 60 halvings, about 1e-18. */
function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (betaIncReg(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The Clopper–Pearson ("exact") confidence interval of a binomial proportion, k successes in n
 * trials, at level `level` (default 0.95): [B(α/2; k, n − k + 1), B(1 − α/2; k + 1, n − k)] with
 * B the beta quantile, 0 when k = 0 and 1 when k = n. Its coverage is at least `level` for every
 * true proportion (conservative), which suits the small n of a listening test. NaN for n = 0.
 * Checked against scipy.stats.binomtest(k, n).proportion_ci(method='exact').
 * @example clopperPearson(9, 10) // → [0.5549839, 0.9974714]
 */
export function clopperPearson(k: number, n: number, level = 0.95): [number, number] {
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(k) || k < 0 || k > n) return [Number.NaN, Number.NaN];
  const alpha = 1 - level;
  const lo = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return [lo, hi];
}
