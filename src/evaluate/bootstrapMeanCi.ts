import { fail } from '../errors.ts';
import { mulberry32 } from '../linalg/index.ts';

/** Options of {@link bootstrapMeanCi}. */
export interface BootstrapOptions {
  /** Bootstrap resamples (default 10,000). */
  nBoot?: number;
  /** Seed of the resampling (default 0): the same values and seed give the same interval. */
  seed?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
  /**
   * The unit resampled for each item (e.g. the clip of each window, 0..nClusters−1): whole
   * clusters are drawn with replacement and the statistic is the mean over all items of the
   * drawn clusters, because items of one cluster are not independent. Default: each item its own.
   */
  clusters?: ArrayLike<number>;
}

/** A percentile bootstrap interval and how it was made. */
export interface BootstrapCi {
  lo: number;
  hi: number;
  nBoot: number;
  seed: number;
  level: number;
}

/**
 * bootstrapMeanCi(values) → the percentile bootstrap interval of the mean of per-item scores
 * (Efron & Tibshirani 1993, ch. 13): the items (or their clusters) are resampled with replacement
 * `nBoot` times, and lo / hi are the (1 − level)/2 and (1 + level)/2 quantiles of the resampled
 * means (order statistics ⌈q·nBoot⌉, the inverse of their empirical CDF). It measures the spread
 * due to which items (test clips) happened to be drawn, with the candidates they were ranked
 * against fixed. Written here (a few lines) because no installed package resamples.
 *
 * @param values one score per item (e.g. `identificationAccuracy(...).perItem`), at least 2
 * @example bootstrapMeanCi(perItem, { seed: 1 }) // → { lo: 0.84, hi: 0.91, nBoot: 10000, seed: 1, level: 0.95 }
 */
export function bootstrapMeanCi(values: ArrayLike<number>, opts: BootstrapOptions = {}): BootstrapCi {
  const n = values.length;
  const nBoot = opts.nBoot ?? 10_000;
  const seed = opts.seed ?? 0;
  const level = opts.level ?? 0.95;
  if (n < 2) fail('BAD_INPUT', `bootstrapMeanCi needs at least 2 items, got ${n}.`);
  if (!Number.isInteger(nBoot) || nBoot < 1) fail('BAD_INPUT', `bootstrapMeanCi: nBoot = ${nBoot}; give a positive integer (e.g. 10000).`);
  if (!(level > 0 && level < 1)) fail('BAD_INPUT', `bootstrapMeanCi: level = ${level} must be in (0, 1), e.g. 0.95.`);
  // per cluster: sum and count of its items
  const ids = opts.clusters;
  if (ids && ids.length !== n) fail('MISMATCH', `bootstrapMeanCi: ${ids.length} cluster ids for ${n} values.`);
  let nC = n;
  if (ids) {
    nC = 0;
    for (let i = 0; i < n; i++) {
      const c = ids[i]!;
      if (!Number.isInteger(c) || c < 0) fail('BAD_INPUT', `bootstrapMeanCi: cluster id ${c} of item ${i} is not a non-negative integer.`);
      nC = Math.max(nC, c + 1);
    }
  }
  const sum = new Float64Array(nC), count = new Float64Array(nC);
  for (let i = 0; i < n; i++) {
    const c = ids ? ids[i]! : i;
    sum[c]! += values[i]!;
    count[c]! += 1;
  }
  const present = Array.from({ length: nC }, (_, c) => c).filter((c) => count[c]! > 0);
  const k = present.length;
  const rand = mulberry32(seed);
  const means = new Float64Array(nBoot);
  for (let b = 0; b < nBoot; b++) {
    let s = 0, m = 0;
    for (let j = 0; j < k; j++) {
      const c = present[Math.floor(rand() * k)]!;
      s += sum[c]!; m += count[c]!;
    }
    means[b] = s / m;
  }
  means.sort();
  const at = (q: number) => means[Math.min(nBoot - 1, Math.max(0, Math.ceil(q * nBoot - 1e-9) - 1))]!;
  return { lo: at((1 - level) / 2), hi: at((1 + level) / 2), nBoot, seed, level };
}
