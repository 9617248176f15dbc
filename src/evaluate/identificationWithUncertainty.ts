import { fail } from '../errors.ts';
import { rankWithinRows } from './rankWithinRows.ts';
import { rowCorrelations, type RowMajor } from './rowCorrelations.ts';
import { scoreWithUncertainty, type ScoreWithUncertainty, type UncertaintyOptions } from './scoreWithUncertainty.ts';

/**
 * identificationWithUncertainty(P, T, n, dim, opts) → identification accuracy (the value of
 * `identificationAccuracy`: j ≠ i, strict, chance 0.5) with a 95% bootstrap interval over clips
 * and its p against chance from random pairings of predictions and targets (clips permuted,
 * windows with their clip). Under a pairing π item i scores #{t ≠ π(i) : C[i][π(i)] > C[i][t]} /
 * (n − 1): the candidates stay all n targets.
 *
 * @param P predictions, `n × dim` row-major (clip-major windows when unit is 'windows')
 * @param T targets, same layout
 * @example identificationWithUncertainty(pc, tc, 60, 512, { unit: 'clips', split: 'test', seed: 1 })
 *   // → { value: 0.88, chance: 0.5, ci95: [0.84, 0.92], p: 0.0001, nBoot: 10000, nPerm: 10000, … }
 */
export function identificationWithUncertainty(P: RowMajor, T: RowMajor, n: number, dim: number, opts: UncertaintyOptions): ScoreWithUncertainty {
  if (n < 2) fail('BAD_INPUT', `identificationWithUncertainty needs at least 2 items, got ${n}.`);
  const wins = rankWithinRows(rowCorrelations(P, T, n, dim), n);
  const perItem = Float64Array.from({ length: n }, (_, i) => wins[i * n + i]! / (n - 1));
  return scoreWithUncertainty(perItem, 0.5, (pi) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += wins[i * n + pi[i]!]!;
    return s / (n * (n - 1));
  }, opts);
}
