import { fail } from '../errors.ts';
import { scoreWithUncertainty, type ScoreWithUncertainty, type UncertaintyOptions } from './scoreWithUncertainty.ts';

/**
 * agreementWithUncertainty(a, b, opts) → the fraction of items whose two labels agree (e.g. the
 * genre of a clip and of the music generated for it), with its chance level, a 95% bootstrap
 * interval over clips and its p against chance from random pairings of the two label lists.
 * Chance is Σ_g p_a(g)·p_b(g), the frequencies of the labels in `a` times those in `b`: the mean
 * agreement over all pairings (for labels of equal frequencies it reduces to Σ p², not otherwise).
 * @param a labels of the originals, one per item
 * @param b labels of what was made from them, same order
 * @example agreementWithUncertainty(['rock', 'jazz'], ['rock', 'rock'], { unit: 'clips', split: 'test' }).chance // → 0.5
 */
export function agreementWithUncertainty(a: readonly string[], b: readonly string[], opts: UncertaintyOptions): ScoreWithUncertainty {
  const n = a.length;
  if (b.length !== n) fail('MISMATCH', `agreementWithUncertainty: ${n} labels against ${b.length}; give one label of each kind per item.`);
  if (n < 2) fail('BAD_INPUT', `agreementWithUncertainty needs at least 2 items, got ${n}.`);
  const perItem = Float64Array.from({ length: n }, (_, i) => (a[i] === b[i] ? 1 : 0));
  return scoreWithUncertainty(perItem, agreementChance(a, b), (pi) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (a[i] === b[pi[i]!]) s++;
    return s / n;
  }, opts);
}

/**
 * agreementChance(a, b) → Σ_g p_a(g)·p_b(g): the agreement expected when the labels of `b` are
 * paired with those of `a` at random, keeping each list's label frequencies.
 * @example agreementChance(['x', 'x', 'y', 'z'], ['x', 'y', 'z', 'z']) // → 0.3125
 */
export function agreementChance(a: readonly string[], b: readonly string[]): number {
  const fa = new Map<string, number>(), fb = new Map<string, number>();
  for (const g of a) fa.set(g, (fa.get(g) ?? 0) + 1 / a.length);
  for (const g of b) fb.set(g, (fb.get(g) ?? 0) + 1 / b.length);
  let s = 0;
  for (const [g, f] of fa) s += f * (fb.get(g) ?? 0);
  return s;
}
