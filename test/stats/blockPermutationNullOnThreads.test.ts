import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/linalg/index.ts';
import { blockPermutationNull, blockPermutationNullOnThreads } from '../../src/stats/index.ts';

/** T × V observed and predicted time courses, the first `signal` voxels correlated. */
function data(T: number, V: number, signal: number, seed: number) {
  const rng = createRng(seed);
  const predicted = new Float32Array(T * V).map(() => rng.normal());
  const observed = predicted.map((x, i) => ((i % V) < signal ? 0.8 * x : 0) + rng.normal());
  return { observed: { rows: T, cols: V, data: observed }, predicted: { rows: T, cols: V, data: predicted } };
}

test('blockPermutationNullOnThreads gives blockPermutationNull\'s r, p, counted p, p sources and null bit for bit, with equal and unequal blocks', async () => {
  for (const [T, blockLength] of [[60, 6], [64, 6]] as const) {
    const { observed, predicted } = data(T, 301, 12, T);
    const opts = { nPerm: 2000, blockLength, seed: 5, keepNull: true };
    const one = blockPermutationNull(observed, predicted, opts);
    const split = await blockPermutationNullOnThreads(observed, predicted, opts, { threads: 2, minNullValues: 0 });
    assert.ok(one.pSource.some((s) => s === 1), 'some p come from the Pareto tail, so the tail fit is compared too');
    for (const key of ['r', 'p', 'pEmpirical', 'pSource', 'nullR'] as const) {
      const a = one[key]!, b = split[key]!;
      assert.equal(b.length, a.length, key);
      assert.ok(a.every((x, i) => Object.is(x, b[i])), `${key} (T ${T}, blocks of ${blockLength}) bit-identical`);
    }
  }
});

test('blockPermutationNullOnThreads fails like blockPermutationNull on mismatched shapes and bad options', async () => {
  const { observed, predicted } = data(60, 40, 0, 1);
  await assert.rejects(blockPermutationNullOnThreads(observed, { rows: 60, cols: 39, data: predicted.data.subarray(0, 60 * 39) }, {}, { threads: 2, minNullValues: 0 }), { code: 'MISMATCH' });
  await assert.rejects(blockPermutationNullOnThreads(observed, predicted, { blockLength: 50 }, { threads: 2, minNullValues: 0 }), { code: 'BAD_INPUT', message: /blockLength = 50/ });
});
