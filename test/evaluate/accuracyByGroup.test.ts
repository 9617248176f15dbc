import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyByGroup, averageWindows, assertFails } from './imports.ts';

test('accuracyByGroup(perItem, genres) averages per genre, sorted by name', () => {
  const rows = accuracyByGroup([1, 0.5, 0, 0.25], ['rock', 'jazz', 'rock', 'jazz']);
  assert.deepEqual(rows, [
    { group: 'jazz', n: 2, mean: 0.375 },
    { group: 'rock', n: 2, mean: 0.5 },
  ]);
  assertFails(() => accuracyByGroup([1], ['a', 'b']), 'MISMATCH');
});

test('averageWindows(data, clips, windows, dim) averages each clip\'s windows', () => {
  // 2 clips × 3 windows × 2 dims
  const data = new Float32Array([1, 2, 3, 4, 5, 6, /**/ 0, 0, 0, 3, 3, 3]);
  assert.deepEqual([...averageWindows(data, 2, 3, 2)], [3, 4, 1, 2]);
  assertFails(() => averageWindows(data, 2, 2, 2), 'MISMATCH');
});
