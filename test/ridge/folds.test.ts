import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupKFold, kFold, leaveOneGroupOut, makeFolds, logspace } from '../../src/ridge/index.ts';

/** Every sample is tested exactly once and train/test partition the samples in each fold. */
function assertPartition(folds: { train: Int32Array; test: Int32Array }[], n: number): void {
  const tested = new Array<number>(n).fill(0);
  for (const f of folds) {
    assert.equal(f.train.length + f.test.length, n);
    const inTest = new Set(f.test);
    for (const i of f.train) assert.ok(!inTest.has(i));
    for (const i of f.test) tested[i]++;
  }
  assert.ok(tested.every((c) => c === 1));
}

test('groupKFold(groups, k) never puts one group in both train and test, and tests every sample once', () => {
  // 12 runs of uneven length, labels not sorted or contiguous
  const groups: number[] = [];
  const labels = [7, 3, 11, 0, 5, 9, 2, 8, 1, 10, 4, 6];
  labels.forEach((g, r) => {
    for (let i = 0; i < 5 + (r % 4); i++) groups.push(g);
  });
  for (const k of [2, 3, 5, 12]) {
    const folds = groupKFold(groups, k);
    assert.equal(folds.length, k);
    assertPartition(folds, groups.length);
    for (const f of folds) {
      const testGroups = new Set(Array.from(f.test, (i) => groups[i]));
      for (const i of f.train) assert.ok(!testGroups.has(groups[i]), `k=${k}: group ${groups[i]} leaks`);
    }
    const sizes = folds.map((f) => f.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 8, `k=${k}: balanced sizes ${sizes}`);
  }
});

test('leaveOneGroupOut(groups) makes one fold per group, in label order, testing exactly that group', () => {
  const groups = [2, 2, 0, 0, 0, 1, 2];
  const folds = leaveOneGroupOut(groups);
  assert.deepEqual(folds.map((f) => Array.from(f.test)), [[2, 3, 4], [5], [0, 1, 6]]);
  assertPartition(folds, groups.length);
  assert.deepEqual(makeFolds(7, { folds: 'leave-one-group-out', groups }), folds);
});

test('kFold(n, k) tests contiguous blocks whose sizes differ by at most one', () => {
  const folds = kFold(3840, 5);
  assertPartition(folds, 3840);
  assert.deepEqual(folds.map((f) => [f.test[0], f.test.length]), [[0, 768], [768, 768], [1536, 768], [2304, 768], [3072, 768]]);
  assert.throws(() => kFold(10, 1), /integer ≥ 2/);
  assert.throws(() => makeFolds(5, { groups: [1, 2] }), /groups has 2 labels but there are 5 samples/);
});

test('makeFolds(n, { folds: [fold] }) passes explicit folds through and rejects ones that do not split every sample once', () => {
  const fold = { train: Int32Array.of(0, 2, 3), test: Int32Array.of(1, 4) };
  assert.deepEqual(makeFolds(5, { folds: [fold] }), [fold]);
  assert.throws(() => makeFolds(5, { folds: [] }), /list is empty/);
  assert.throws(() => makeFolds(5, { folds: [{ train: Int32Array.of(0, 2), test: Int32Array.of(1, 4) }] }), /covers 4 of the 5 samples/);
  assert.throws(() => makeFolds(5, { folds: [{ train: Int32Array.of(0, 1, 2, 3), test: Int32Array.of(1, 4) }] }), /sample 1 is in both train and test/);
  assert.throws(() => makeFolds(5, { folds: [{ train: Int32Array.of(2, 0, 3), test: Int32Array.of(1, 4) }] }), /sorted ascending/);
  assert.throws(() => makeFolds(5, { folds: [{ train: Int32Array.of(0, 2, 3), test: Int32Array.of(1, 5) }] }), /index 5 is outside 0…4/);
  assert.throws(() => makeFolds(5, { folds: [fold], groups: [0, 0, 1, 1, 2] }), /either explicit folds or groups/);
});

test('logspace(-2, 8, 20) matches numpy.logspace', () => {
  const a = logspace(-2, 8, 20);
  assert.equal(a.length, 20);
  assert.equal(a[0], 0.01);
  assert.equal(a[19], 1e8);
  assert.ok(Math.abs(a[1] / 10 ** (-2 + 10 / 19) - 1) < 1e-15);
});
