import { logGamma } from './logGamma.ts';

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1. */
function logPmf(k: number, n: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * Exact binomial test of k successes in n trials against success probability p (default 0.5).
 * 'two-sided' sums the probabilities of every outcome no more likely than k (the "minlike" rule of
 * scipy.stats.binomtest, with its relative tolerance 1e-7 for ties); 'greater' is P(X ≥ k),
 * 'less' P(X ≤ k). Returns 1 when n = 0. Checked against scipy.stats.binomtest.
 * @example binomialTest(9, 10) // → 0.021484375 (two-sided: 2 × 11/1024)
 */
export function binomialTest(k: number, n: number, p = 0.5, alternative: 'two-sided' | 'greater' | 'less' = 'two-sided'): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n || !(p > 0 && p < 1)) return Number.NaN;
  if (n === 0) return 1;
  const pmf = Array.from({ length: n + 1 }, (_, j) => Math.exp(logPmf(j, n, p)));
  const sum = (lo: number, hi: number) => pmf.slice(lo, hi + 1).reduce((s, v) => s + v, 0);
  if (alternative === 'greater') return Math.min(1, sum(k, n));
  if (alternative === 'less') return Math.min(1, sum(0, k));
  const limit = pmf[k]! * (1 + 1e-7);
  return Math.min(1, pmf.reduce((s, v) => (v <= limit ? s + v : s), 0));
}
