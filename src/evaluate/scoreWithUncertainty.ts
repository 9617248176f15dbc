import { fail } from '../errors.ts';
import { bootstrapMeanCi } from './bootstrapMeanCi.ts';
import { pairingPermutationP } from './pairingPermutationP.ts';

/**
 * A headline score as `metrics.json` should carry it: the value beside its chance level, a 95%
 * bootstrap interval over the test units, and a p-value against chance from permuting the
 * prediction–target pairing, with everything needed to reproduce them.
 */
export interface ScoreWithUncertainty {
  value: number;
  chance: number;
  /** Percentile bootstrap interval over clips (windows resampled with their clip). */
  ci95: [number, number];
  /** P(score ≥ value) when predictions and targets are paired at random (clips permuted). */
  p: number;
  nBoot: number;
  /** Pairings counted for p (n! when `exact`). */
  nPerm: number;
  exact: boolean;
  seed: number;
  /** Items scored and clips they come from. */
  n: number;
  nClips: number;
  unit: 'clips' | 'windows';
  split: string;
}

/** Options shared by the `…WithUncertainty` scores. */
export interface UncertaintyOptions {
  /** What an item is: a clip, or a window of a clip (then items are clip-major, `windowsPerClip` per clip). */
  unit: 'clips' | 'windows';
  /** Which data were scored: 'test', 'train-oof' (out-of-fold training), 'train-in-sample', … (recorded). */
  split: string;
  /** Windows of each clip when unit is 'windows' (items c·W … c·W + W − 1 belong to clip c; default 1). */
  windowsPerClip?: number;
  /** Bootstrap resamples (default 10,000). */
  nBoot?: number;
  /** Random pairings for p (default 10,000; exact enumeration when nClips! ≤ nPerm). */
  nPerm?: number;
  /** Seed of both (default 0), recorded. */
  seed?: number;
}

/**
 * The interval and p of a score made of per-item values (`perItem`, its mean the score) whose
 * value under a pairing of clips is `statistic(itemPairing)`: resampling and permuting act on
 * clips, windows follow their clip. Shared by the `…WithUncertainty` scores.
 * @internal
 */
export function scoreWithUncertainty(
  perItem: ArrayLike<number>, chance: number, statistic: (itemPairing: Int32Array) => number, opts: UncertaintyOptions,
): ScoreWithUncertainty {
  const n = perItem.length;
  const W = opts.windowsPerClip ?? 1;
  if (opts.unit !== 'clips' && opts.unit !== 'windows') fail('BAD_INPUT', `unit '${String(opts.unit)}' is not one of clips, windows.`);
  if (!Number.isInteger(W) || W < 1 || n % W !== 0) fail('MISMATCH', `${n} items are not whole clips of windowsPerClip = ${W} windows.`);
  if (opts.unit === 'clips' && W !== 1) fail('BAD_INPUT', `unit 'clips' with windowsPerClip = ${W}: clips have one item each.`);
  const nClips = n / W;
  const seed = opts.seed ?? 0;
  const ci = bootstrapMeanCi(perItem, { nBoot: opts.nBoot, seed, clusters: Int32Array.from({ length: n }, (_, i) => Math.floor(i / W)) });
  let value = 0;
  for (let i = 0; i < n; i++) value += perItem[i]!;
  value /= n;
  const items = new Int32Array(n);
  const perm = pairingPermutationP(nClips, (clipPerm) => {
    for (let c = 0; c < nClips; c++) for (let w = 0; w < W; w++) items[c * W + w] = clipPerm[c]! * W + w;
    return statistic(items);
  }, { nPerm: opts.nPerm, seed });
  return {
    value, chance, ci95: [ci.lo, ci.hi], p: perm.p, nBoot: ci.nBoot, nPerm: perm.nPerm, exact: perm.exact, seed,
    n, nClips, unit: opts.unit, split: opts.split,
  };
}
