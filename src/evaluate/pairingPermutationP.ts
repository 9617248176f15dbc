import { fail } from '../errors.ts';
import { mulberry32 } from '../linalg/index.ts';

/** Options of {@link pairingPermutationP}. */
export interface PairingPermutationOptions {
  /** Random pairings (default 10,000); when n! ≤ nPerm every pairing is enumerated instead. */
  nPerm?: number;
  /** Seed of the random pairings (default 0). */
  seed?: number;
}

/** Result of {@link pairingPermutationP}. */
export interface PairingPermutationResult {
  /** The observed statistic (identity pairing). */
  observed: number;
  p: number;
  /** Pairings counted: n! when exact, else nPerm. */
  nPerm: number;
  /** Every pairing was enumerated (p exact). */
  exact: boolean;
  seed: number;
}

/** Tolerance for counting a permuted statistic as reaching the observed one (float noise of equal sums). */
const TIE = 1e-12;

/**
 * pairingPermutationP(n, statistic) → the p-value of a score against chance by permuting which
 * target goes with which prediction: under H0 (the predictions carry no information about their
 * own targets) every pairing π of the n units is equally likely, so
 * p = (1 + #{k : statistic(π_k) ≥ statistic(id)}) / (1 + nPerm) over random pairings (Phipson &
 * Smyth 2010), or #{π : statistic(π) ≥ statistic(id)} / n! exactly when n! ≤ nPerm (the identity
 * included, Heap's enumeration). `statistic(perm)` scores prediction i against target perm[i].
 *
 * @param n units paired (e.g. test clips), at least 2
 * @param statistic the score of a pairing; must not keep `perm` (it is reused)
 * @example pairingPermutationP(60, (perm) => agreement(labels, generated, perm)).p
 */
export function pairingPermutationP(n: number, statistic: (perm: Int32Array) => number, opts: PairingPermutationOptions = {}): PairingPermutationResult {
  const nPerm = opts.nPerm ?? 10_000;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(n) || n < 2) fail('BAD_INPUT', `pairingPermutationP needs at least 2 units, got ${n}.`);
  if (!Number.isInteger(nPerm) || nPerm < 1) fail('BAD_INPUT', `pairingPermutationP: nPerm = ${nPerm}; give a positive integer (e.g. 10000).`);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const observed = statistic(perm);
  let factorial = 1;
  for (let k = 2; k <= n && factorial <= nPerm; k++) factorial *= k;
  if (factorial <= nPerm) {
    // Heap's algorithm (iterative): every permutation once, the identity first
    const c = new Int32Array(n);
    let reach = 1; // the identity
    let i = 1;
    while (i < n) {
      if (c[i]! < i) {
        const j = i % 2 === 0 ? 0 : c[i]!;
        const t = perm[j]!; perm[j] = perm[i]!; perm[i] = t;
        if (statistic(perm) >= observed - TIE) reach++;
        c[i]!++;
        i = 1;
      } else {
        c[i] = 0;
        i++;
      }
    }
    return { observed, p: reach / factorial, nPerm: factorial, exact: true, seed };
  }
  const rand = mulberry32(seed);
  let reach = 0;
  for (let k = 0; k < nPerm; k++) {
    for (let a = n - 1; a > 0; a--) {
      const b = Math.floor(rand() * (a + 1));
      const t = perm[a]!; perm[a] = perm[b]!; perm[b] = t;
    }
    if (statistic(perm) >= observed - TIE) reach++;
  }
  return { observed, p: (1 + reach) / (1 + nPerm), nPerm, exact: false, seed };
}
