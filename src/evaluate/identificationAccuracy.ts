import { fail } from '../errors.ts';
import { rowCorrelations, type RowMajor } from './rowCorrelations.ts';

/** Result of {@link identificationAccuracy}. */
export interface IdentificationResult {
  /** `acc_i` per item (length n), each in [0, 1]. */
  perItem: Float64Array;
  /** Mean of `perItem`. */
  mean: number;
  /** Number of items. */
  n: number;
  /** Chance level: 0.5. */
  chance: number;
}

/**
 * Identification accuracy (docs/method.md §2): with `C[i][j]` the Pearson r between prediction `P_i`
 * and target `T_j`, `acc_i = #{ j ≠ i : C[i][i] > C[i][j] } / (n − 1)`, reported as the mean
 * over items. Chance is 0.5.
 *
 * - `j = i` is excluded (counting it would add 1/(n−1) to every item).
 * - The comparison is strict: a tie `C[i][i] = C[i][j]` does not count as a success. A
 *   zero-variance (constant) prediction row ties with every target (r = 0) and scores 0;
 *   identical (non-constant) predictions for every item rank the targets the same way in every
 *   row, so item i scores the rank of its own target and the mean is 0.5, chance.
 * - A constant row correlates 0 with everything (see {@link rowCorrelations}).
 * - Say whether the items are windows or clips when reporting.
 *
 * @param P predictions, `n × dim` row-major
 * @param T targets, `n × dim` row-major, item i of `T` is the truth for item i of `P`
 * @example identificationAccuracy([1,0,0, 0,1,0, 0,0,1], [1,0,0, 0,1,0, 0,0,1], 3, 3).mean // → 1
 */
export function identificationAccuracy(P: RowMajor, T: RowMajor, n: number, dim: number): IdentificationResult {
  if (n < 2) fail('BAD_INPUT', `identificationAccuracy needs at least 2 items, got ${n}; it compares each item with the others.`);
  const C = rowCorrelations(P, T, n, dim);
  const perItem = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = C[i * n + i];
    let wins = 0;
    for (let j = 0; j < n; j++) if (j !== i && own > C[i * n + j]) wins++;
    perItem[i] = wins / (n - 1);
    total += perItem[i];
  }
  return { perItem, mean: total / n, n, chance: 0.5 };
}
