import { RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';

/** One cross-validation split: sorted sample indices. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

function split(n: number, isTest: (i: number) => boolean): Fold {
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < n; i++) (isTest(i) ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * K-fold without shuffling (as scikit-learn's `KFold(k)` and himalaya's `cv=k`): fold f tests a
 * contiguous block; the first n mod k blocks have one extra sample.
 */
export function kFold(n: number, k: number): Fold[] {
  if (!Number.isInteger(k) || k < 2) fail('BAD_INPUT', `The number of folds must be an integer ≥ 2, got ${k}.`);
  if (n < k) fail('BAD_INPUT', `Too few samples for ${k}-fold cross-validation: ${n} samples; use fewer folds or more samples.`);
  const folds: Fold[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const end = start + size;
    folds.push(split(n, (i) => i >= start && i < end));
    start = end;
  }
  return folds;
}

function groupIndex(groups: ArrayLike<number>): Map<number, number[]> {
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (!Number.isFinite(g)) fail('BAD_INPUT', `Group label of sample ${i} is ${g}; labels must be finite numbers.`);
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  }
  return byGroup;
}

/**
 * K folds that never split a group (a run, a clip): groups are assigned, largest first, to the
 * fold with the fewest samples so far (as scikit-learn's `GroupKFold`); ties go to the lower
 * fold and then the smaller group label, so the split is deterministic.
 */
export function groupKFold(groups: ArrayLike<number>, k: number): Fold[] {
  if (!Number.isInteger(k) || k < 2) fail('BAD_INPUT', `The number of folds must be an integer ≥ 2, got ${k}.`);
  const byGroup = groupIndex(groups);
  if (byGroup.size < k) fail('BAD_INPUT', `Too few groups for ${k}-fold cross-validation: ${byGroup.size} distinct groups; use at most ${byGroup.size} folds.`);
  const order = [...byGroup.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const sizes = new Array<number>(k).fill(0);
  const foldOf = new Map<number, number>();
  for (const [g, idx] of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (sizes[f] < sizes[best]) best = f;
    sizes[best] += idx.length;
    foldOf.set(g, best);
  }
  return Array.from({ length: k }, (_, f) => split(groups.length, (i) => foldOf.get(groups[i]) === f));
}

/** One fold per distinct group (in ascending label order), testing on that group alone. */
export function leaveOneGroupOut(groups: ArrayLike<number>): Fold[] {
  const byGroup = groupIndex(groups);
  if (byGroup.size < 2) fail('BAD_INPUT', `Leave-one-group-out needs at least 2 distinct groups, got ${byGroup.size}.`);
  return [...byGroup.keys()].sort((a, b) => a - b).map((g) => split(groups.length, (i) => groups[i] === g));
}

/**
 * Checks explicit folds over n samples: each must split all of 0…n−1 into sorted, disjoint train
 * and test indices (the solvers derive a fold's training statistics as "all minus test").
 */
function checkFolds(n: number, folds: readonly Fold[]): Fold[] {
  if (folds.length === 0) fail('BAD_INPUT', 'explicit folds: the list is empty; give at least one fold.');
  folds.forEach((fold, f) => {
    const seen = new Uint8Array(n);
    for (const [name, idx] of [['train', fold.train], ['test', fold.test]] as const) {
      for (let i = 0; i < idx.length; i++) {
        const v = idx[i];
        if (!Number.isInteger(v) || v < 0 || v >= n) fail('BAD_INPUT', `explicit fold ${f + 1}: ${name} index ${v} is outside 0…${n - 1}.`);
        if (i > 0 && v <= idx[i - 1]) fail('BAD_INPUT', `explicit fold ${f + 1}: ${name} indices must be sorted ascending without repeats (${idx[i - 1]} then ${v}).`);
        if (seen[v]) fail('BAD_INPUT', `explicit fold ${f + 1}: sample ${v} is in both train and test.`);
        seen[v] = 1;
      }
    }
    if (fold.train.length + fold.test.length !== n) fail('BAD_INPUT', `explicit fold ${f + 1} covers ${fold.train.length + fold.test.length} of the ${n} samples; train and test together must hold every sample.`);
  });
  return [...folds];
}

/**
 * The folds for n samples: `folds` is a count (default 5), 'leave-one-group-out', or explicit
 * folds (checked: each splits all n samples into sorted, disjoint train and test indices); with
 * `groups` (sample → group label, length n) counted folds never split a group.
 */
export function makeFolds(n: number, opts: { folds?: number | 'leave-one-group-out' | readonly Fold[]; groups?: ArrayLike<number> } = {}): Fold[] {
  const folds = opts.folds ?? RIDGE_DEFAULTS.folds;
  if (typeof folds === 'object') {
    if (opts.groups) fail('BAD_INPUT', 'give either explicit folds or groups, not both (explicit folds already say which samples go together).');
    return checkFolds(n, folds);
  }
  if (opts.groups) {
    if (opts.groups.length !== n) fail('MISMATCH', `groups has ${opts.groups.length} labels but there are ${n} samples.`);
    return folds === 'leave-one-group-out' ? leaveOneGroupOut(opts.groups) : groupKFold(opts.groups, folds);
  }
  if (folds === 'leave-one-group-out') fail('BAD_INPUT', "folds: 'leave-one-group-out' needs groups (one label per sample).");
  return kFold(n, folds);
}
