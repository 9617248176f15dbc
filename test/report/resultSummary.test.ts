import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ci95Of, subjectSentence, summaryTable, type SubjectResult } from '../../src/report/index.ts';

test('ci95Of(score) reads [lo, hi] or {low, high} / {lo, hi} / {lower, upper}; anything else is undefined', () => {
  assert.deepEqual(ci95Of({ value: 0.9, chance: 0.5, ci95: [0.8, 0.95] }), [0.8, 0.95]);
  assert.deepEqual(ci95Of({ ci95: { low: 0.1, high: 0.2 } }), [0.1, 0.2]);
  assert.deepEqual(ci95Of({ ci95: { lo: 0.1, hi: 0.2 } }), [0.1, 0.2]);
  assert.deepEqual(ci95Of({ ci95: { lower: 0.1, upper: 0.2 } }), [0.1, 0.2]);
  assert.equal(ci95Of({ value: 0.9, chance: 0.5 }), undefined);
  assert.equal(ci95Of({ ci95: ['a', 1] }), undefined);
  assert.equal(ci95Of(undefined), undefined);
});

test('subjectSentence(result) gives every score with its references in percent, leaving out stages that did not run', () => {
  const r: SubjectResult = {
    id: 'sub-003', unit: 'windows',
    identification: { value: 0.8947, chance: 0.5 },
    nWay: { value: 0.4, chance: 0.05, n: 20 },
    retrievalGenre: { value: 0.45, chance: 0.1, oracle: 0.6 },
  };
  assert.equal(subjectSentence(r), 'sub-003: the decoded music embedding picked the right window out of a pair 89.5% of the time (chance 50%); it ranked the right one first among 20 test windows 40% of the time (chance 5%); retrieval found the right genre 45% of the time (oracle 60%, chance 10%).');
  assert.equal(subjectSentence({ id: 'sub-004' }), 'sub-004: no results yet (the decode and encode stages have not run).');
});

test('summaryTable(results) leaves out the columns of stages that ran for no subject and adds no mean row for one subject', () => {
  const html = summaryTable([{ id: 'sub-001', identification: { value: 0.9, chance: 0.5 } }]);
  assert.deepEqual([...html.matchAll(/<th>([^<]+)<\/th>/g)].map((m) => m[1]), ['subject', 'identification, test']);
  assert.doesNotMatch(html, /class="mean"/);
});
