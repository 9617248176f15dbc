import { fail } from '../errors.ts';
import { rowCorrelations, type RowMajor } from './rowCorrelations.ts';

/** Result of {@link nWayTop1}. */
export interface TopOneResult {
  /** 1 where item i's own target is the strict best match, else 0 (length n). */
  perItem: Uint8Array;
  /** Fraction of items identified: mean of `perItem`. */
  value: number;
  /** N, the number of candidates (all n items). */
  n: number;
  /** Chance level: 1 / N. */
  chance: number;
}

/**
 * N-way top-1 identification: among all N = n targets, is the one with the highest Pearson r to
 * prediction `P_i` its own target `T_i`? Chance is 1/N (60 test clips: 1.7%).
 *
 * Ties count as failures: item i succeeds only if `C[i][i] > C[i][j]` for every `j ≠ i`, so a
 * prediction equally close to two targets is never credited (the conservative choice; it also
 * makes a constant prediction score 0).
 *
 * @param P predictions, `n × dim` row-major
 * @param T targets, `n × dim` row-major
 * @example nWayTop1([1,0, 0,1], [1,0, 0,1], 2, 2).value // → 1
 */
export function nWayTop1(P: RowMajor, T: RowMajor, n: number, dim: number): TopOneResult {
  if (n < 2) fail('BAD_INPUT', `nWayTop1 needs at least 2 candidates, got ${n}.`);
  const C = rowCorrelations(P, T, n, dim);
  const perItem = new Uint8Array(n);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const own = C[i * n + i];
    let best = true;
    for (let j = 0; j < n && best; j++) if (j !== i && C[i * n + j] >= own) best = false;
    perItem[i] = best ? 1 : 0;
    hits += perItem[i];
  }
  return { perItem, value: hits / n, n, chance: 1 / n };
}
