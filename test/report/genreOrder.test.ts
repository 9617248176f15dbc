import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genreOrder } from '../../src/report/index.ts';

test('genreOrder(genres) sorts items by genre, keeping their order within a genre, and gives each genre run', () => {
  assert.deepEqual(genreOrder(['rock', 'jazz', 'rock', 'blues', 'jazz']), {
    order: [3, 1, 4, 0, 2],
    groups: [{ label: 'blues', start: 0, end: 1 }, { label: 'jazz', start: 1, end: 3 }, { label: 'rock', start: 3, end: 5 }],
  });
});

test('genreOrder([]) is empty', () => {
  assert.deepEqual(genreOrder([]), { order: [], groups: [] });
});
