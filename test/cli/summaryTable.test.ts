// The summary table `brain2music run`/`demo` print: every number with its unit, split and chance,
// and no wider than 100 columns (the rest is in metrics.json and --json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummaryTable, SUMMARY_COLUMNS } from '../../src/cli/commands/run.ts';
import { writeFixtureRun } from '../report/fixtureRun.ts';

test('formatSummaryTable(run) labels each column with its unit, split and reference, gives every score its chance, and fits 100 columns', () => {
  const { runDir, accuracy } = writeFixtureRun();
  const lines = formatSummaryTable(runDir);
  for (const l of lines) assert.ok(l.length <= 100, `${l.length} columns: ${l}`);
  const header = `${lines[0]}\n${lines[1]}`;
  assert.match(header, /identification, test clips/);
  assert.match(header, /N-way top-1, test/);
  assert.ok(SUMMARY_COLUMNS.slice(1).every((c) => /\((chance|oracle)/.test(c)), 'every score column says what is in brackets');
  assert.doesNotMatch(header, /train/, 'the in-sample training score is not set beside the test score');
  const row = lines.find((l) => l.trimStart().startsWith('sub-001'))!;
  assert.match(row, new RegExp(`${accuracy.toFixed(3)} \\(0\\.500\\)`), 'identification with chance 0.5');
  assert.match(row, /0\.750 \(0\.250\)/, '4-way top-1 with chance 1/4');
  assert.match(row, /0\.500 \(1\.000, 0\.250\)/, 'retrieval genre agreement with oracle and chance');
  // the intervals under the table: sub-001's identification has one, with p at the resolution of its 9,999 pairings
  const at = lines.findIndex((l) => /95% intervals: bootstrap over test clips; p vs chance: random pairings \(retrieval: random tracks\)/.test(l));
  assert.ok(at > 0, lines.join('\n'));
  assert.match(lines[at + 1]!, /identification\s+p\s+N-way top-1\s+p\s+retrieval genre\s+p\s+generated id\s+p/);
  assert.match(lines[at + 3]!, /^\s+sub-001\s+0\.800–1\.000\s+≤ 0\.0001\s+–/);
  assert.match(lines[at + 4]!, /^\s+sub-002(\s+–)+$/);
  assert.ok(lines.some((l) => /sub-001: significant voxels \(.+ null, BH q ≤ .+\): builtin \d+, genre \d+ of \d+/.test(l)));
});
