import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchedule } from '../../src/simulate/index.ts';

test('buildSchedule(opts) follows ds003720: pieces per run, duplicates, 4 test repetitions', () => {
  const s = buildSchedule({ genres: ['blues', 'jazz', 'rock'], trainPerGenre: 8, testPerGenre: 2, testReps: 4, seed: 1 });
  assert.equal(s.clips.length, 30);
  const train = s.runs.filter((r) => r.task === 'Training');
  const testRuns = s.runs.filter((r) => r.task === 'Test');
  assert.equal(train.length, 2);
  assert.equal(testRuns.length, 2);
  // training run 2 holds pieces 4..7 of every genre; its duplicate is run 1's last clip
  assert.deepEqual(train[1].clipIds.slice(1).map((id) => Number(id.split('.')[1])).sort((a, b) => a - b), [4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7]);
  assert.equal(train[1].clipIds[0], train[0].clipIds[12]);
  // training run 1 repeats its own last clip (no earlier run)
  assert.equal(train[0].clipIds[0], train[0].clipIds[12]);
  // test run 1: piece 8 of each genre, 4 times, duplicate = the run's last clip
  assert.equal(testRuns[0].clipIds.length, 13);
  assert.equal(testRuns[0].clipIds[0], testRuns[0].clipIds[12]);
  for (const id of ['blues.00008', 'jazz.00008', 'rock.00008']) assert.equal(testRuns[0].clipIds.slice(1).filter((x) => x === id).length, 4);
  for (let i = 2; i < 13; i++) assert.notEqual(testRuns[0].clipIds[i], testRuns[0].clipIds[i - 1]);
});
