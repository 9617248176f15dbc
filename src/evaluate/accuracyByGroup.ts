import { fail } from '../errors.ts';

/** One row of {@link accuracyByGroup}. */
export interface GroupAccuracy {
  group: string;
  /** Items in the group. */
  n: number;
  /** Mean per-item score over the group's items. */
  mean: number;
}

/**
 * Mean of per-item scores within each group, e.g. identification accuracy per genre: each
 * item's `acc_i` is computed against all items (as in {@link identificationAccuracy}), then
 * averaged over the items of a genre. Groups are returned sorted by name.
 *
 * @param perItem per-item scores (length n)
 * @param groups group label per item (length n)
 * @example accuracyByGroup([1, 0.5, 0], ['rock', 'jazz', 'rock']) // → [{group:'jazz',n:1,mean:0.5},{group:'rock',n:2,mean:0.5}]
 */
export function accuracyByGroup(perItem: ArrayLike<number>, groups: readonly string[]): GroupAccuracy[] {
  if (perItem.length !== groups.length) {
    fail('MISMATCH', `accuracyByGroup: ${perItem.length} scores but ${groups.length} group labels; pass one label per item.`);
  }
  const sums = new Map<string, { n: number; sum: number }>();
  for (let i = 0; i < groups.length; i++) {
    const s = sums.get(groups[i]) ?? { n: 0, sum: 0 };
    s.n++;
    s.sum += perItem[i];
    sums.set(groups[i], s);
  }
  return [...sums.keys()].sort().map((group) => {
    const s = sums.get(group)!;
    return { group, n: s.n, mean: s.sum / s.n };
  });
}
