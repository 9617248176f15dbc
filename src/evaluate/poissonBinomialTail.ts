import { fail } from '../errors.ts';

/**
 * poissonBinomialTail(probs, k) → P(X ≥ k) where X counts successes of independent trials with
 * success probabilities `probs` (the Poisson-binomial distribution; all equal: the binomial).
 * Exact, by the O(n²) recursion over trials on the distribution of the count (float64).
 * @example poissonBinomialTail([0.5, 0.5], 1) // → 0.75
 */
export function poissonBinomialTail(probs: ArrayLike<number>, k: number): number {
  const n = probs.length;
  if (!Number.isInteger(k)) fail('BAD_INPUT', `poissonBinomialTail: the count must be an integer, got ${k}.`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  const dist = new Float64Array(n + 1);
  dist[0] = 1;
  for (let i = 0; i < n; i++) {
    const q = probs[i]!;
    if (!(q >= 0 && q <= 1)) fail('BAD_INPUT', `poissonBinomialTail: probability ${i} is ${q}; each must lie in [0, 1].`);
    for (let c = i + 1; c >= 1; c--) dist[c] = dist[c]! * (1 - q) + dist[c - 1]! * q;
    dist[0] = dist[0]! * (1 - q);
  }
  let tail = 0;
  // summing the small upper terms first keeps a tiny tail accurate
  for (let c = n; c >= k; c--) tail += dist[c]!;
  return Math.min(1, tail);
}
