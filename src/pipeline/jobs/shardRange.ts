import { fail } from '../../errors.ts';

/**
 * The items `[start, end)` of `total` that shard `index` of `count` covers: contiguous slices in
 * order, their sizes at most one apart.
 * @throws BAD_INPUT when there are more shards than items (`what` names the items and the key)
 */
export function shardRange(total: number, shard: { index: number; count: number }, what: string): [number, number] {
  if (shard.count > total) fail('BAD_INPUT', `${what}: ${shard.count} shards of ${total}; give at most ${total} shards.`);
  return [Math.floor(((shard.index - 1) * total) / shard.count), Math.floor((shard.index * total) / shard.count)];
}
