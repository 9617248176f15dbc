import { fail } from '../errors.ts';
import { rankWithinRows } from './rankWithinRows.ts';
import { rowCorrelations, type RowMajor } from './rowCorrelations.ts';
import { scoreWithUncertainty, type ScoreWithUncertainty, type UncertaintyOptions } from './scoreWithUncertainty.ts';

/**
 * nWayTop1WithUncertainty(P, T, n, dim, opts) → N-way top-1 (the value of `nWayTop1`: own target
 * the strict best of all N = n, chance 1/N) with a 95% bootstrap interval over clips and its p
 * against chance from random pairings (clips permuted): under a pairing π item i succeeds when
 * target π(i) is the strict best match of prediction i.
 * @example nWayTop1WithUncertainty(pc, tc, 60, 512, { unit: 'clips', split: 'test' }).ci95
 */
export function nWayTop1WithUncertainty(P: RowMajor, T: RowMajor, n: number, dim: number, opts: UncertaintyOptions): ScoreWithUncertainty {
  if (n < 2) fail('BAD_INPUT', `nWayTop1WithUncertainty needs at least 2 candidates, got ${n}.`);
  const wins = rankWithinRows(rowCorrelations(P, T, n, dim), n);
  const perItem = Float64Array.from({ length: n }, (_, i) => (wins[i * n + i] === n - 1 ? 1 : 0));
  return scoreWithUncertainty(perItem, 1 / n, (pi) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (wins[i * n + pi[i]!] === n - 1) s++;
    return s / n;
  }, opts);
}
