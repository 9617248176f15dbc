import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDecode, formatDecodeTable } from '../../src/cli/commands/decode.ts';
import { readNpy } from '../../src/io/index.ts';
import type { CliUi } from '../../src/cli/ui.ts';
import { makeSynthetic, writeSyntheticBids } from './synthetic.ts';

const root = mkdtempSync(join(tmpdir(), 'b2m-decode-'));
const bids = join(root, 'bids');
const emb = join(root, 'emb', 'synthetic.npy');
const syn = makeSynthetic();
writeSyntheticBids(bids, syn, ['sub-001', 'sub-002'], emb);
test.after(() => rmSync(root, { recursive: true, force: true }));

function recordingUi(): CliUi & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress: () => ({ update() {}, end() {} }) };
}

test('runDecode({subject: "all"}) writes predictions, rois and metrics per subject and the run summary', async () => {
  const out = join(root, 'run');
  writeFileSync(join(root, 'keep.json'), '{}');
  const ui = recordingUi();
  const rows = await runDecode({ bids, embeddings: emb, subject: 'all', out, rois: 3, lagTr: 3, cvScore: 'inner' }, ui);
  assert.deepEqual(rows.map((r) => r.subject), ['sub-001', 'sub-002']);
  for (const sub of ['sub-001', 'sub-002']) {
    const dir = join(out, 'subjects', sub, 'decode');
    const pred = readNpy(join(dir, 'predictions.npy'));
    assert.deepEqual(pred.shape, [16, 4, 6]);
    assert.equal(pred.dtype, '<f4');
    assert.deepEqual(readNpy(join(dir, 'identification.npy')).shape, [16, 16]);
    const info = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8'));
    assert.deepEqual(info.clipIds, syn.testClipIds);
    const rois = JSON.parse(readFileSync(join(dir, 'rois.json'), 'utf8'));
    assert.deepEqual(rois.selected.map((r: { name: string }) => r.name).sort(), ['roi-2', 'roi-5', 'roi-7']);
    assert.equal(rois.selected[0].nVoxels, 16);
    assert.equal(rois.ranking.length, 8);
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    assert.equal(m.lagTr, 3);
    assert.equal(m.lagSec, 4.5);
    assert.equal(m.unit, 'clips');
    assert.equal(m.identificationTest.chance, 0.5);
    assert.ok(m.identificationTest.value > 0.8, `${sub} test identification ${m.identificationTest.value}`);
    assert.equal(m.nWayTop1.chance, 1 / 16);
    // the headline scores with their uncertainty: the same value as the decoder's clip score, a 95% bootstrap interval around it, p vs chance
    assert.equal(m.identificationTest.value, m.decoders.roiEnsemble.test.identification.clips.value);
    assert.equal(m.nWayTop1.value, m.decoders.roiEnsemble.test.nWayTop1.value);
    for (const x of [m.identificationTest, m.nWayTop1]) {
      assert.ok(x.ci95[0] <= x.value && x.value <= x.ci95[1], JSON.stringify(x));
      assert.ok(x.p > 0 && x.p <= 1);
      assert.deepEqual([x.unit, x.split, x.n, x.nClips, x.seed, x.nBoot, x.nPerm], ['clips', 'test', 16, 16, 0, 10_000, 10_000]);
    }
    assert.ok(m.identificationTest.p <= 0.001, `identification ${m.identificationTest.value} is far above chance: p ${m.identificationTest.p}`);
    assert.equal(m.identificationTrain.split, 'train-in-sample');
    assert.equal(m.decoders.roiEnsemble.test.identification.windows.n, 64);
    assert.deepEqual(m.alignment.windowScans, [{ first: 0, count: 7 }, { first: 1, count: 7 }, { first: 2, count: 7 }, { first: 3, count: 7 }]);
    // lag 3: the last clip of each run loses its last 3 scans (2 training + 2 test runs)
    assert.equal(m.alignment.clampedPresentations, 4);
  }
  const summary = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(Object.keys(summary.subjects), ['sub-001', 'sub-002']);
  assert.equal(summary.subjects['sub-002'].decode.lagTr, 3);
  assert.ok(ui.lines.some((l) => /^subject\s+id test win/.test(l)), ui.lines.join('\n'));
  assert.ok(ui.lines.some((l) => l.startsWith('sub-002 ')));
  assert.ok(ui.lines.some((l) => /4 presentations ran past/.test(l)));
});

test('runDecode gathers RUN/metrics.json from every stage output in the run folder, its own and the others\'', async () => {
  const out = join(root, 'run2');
  const ui = recordingUi();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(out, 'subjects', 'sub-001', 'encode'), { recursive: true });
  writeFileSync(join(out, 'subjects', 'sub-001', 'encode', 'summary.json'), JSON.stringify({ models: { x: { nSignificant: 1, meanR: 0.1, maxR: 0.2 } } }));
  writeFileSync(join(out, 'metrics.json'), JSON.stringify({ subjects: { 'sub-001': { decode: 'stale' } } }));
  await runDecode({ bids, embeddings: emb, subject: 'sub-001', out, rois: 2, lagTr: 0, cvScore: 'inner' }, ui);
  const summary = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(summary.subjects['sub-001'].encode, { x: { nSignificant: 1, meanR: 0.1, maxR: 0.2 } });
  assert.equal(summary.subjects['sub-001'].decode.lagTr, 0);
  assert.ok(!existsSync(join(out, 'subjects', 'sub-002')));
});

test('runDecode refuses a run folder another live process is writing, and leaves its files untouched', async () => {
  const out = join(root, 'run-locked');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), '{"subjects":{}}');
  writeFileSync(join(out, '.lock'), String(process.pid)); // this process is alive: the lock is not stale
  await assert.rejects(
    runDecode({ bids, embeddings: emb, subject: 'sub-001', out, rois: 2, lagTr: 3, cvScore: 'inner' }, recordingUi()),
    (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && e.message.includes(`pid ${process.pid}`),
  );
  assert.equal(readFileSync(join(out, 'metrics.json'), 'utf8'), '{"subjects":{}}');
  assert.ok(!existsSync(join(out, 'subjects')));
  assert.equal(readFileSync(join(out, '.lock'), 'utf8'), String(process.pid), 'the other process keeps its lock');
});

test('formatDecodeTable(rows) aligns a subject × metric table with chance columns', () => {
  const lines = formatDecodeTable([{ subject: 'sub-001', testWindows: 0.81234, testClips: 0.9, trainWindows: 1, trainClips: 1, trainOutOfFoldClips: 0.87, r: 0.4, top1: 0.25, top1Chance: 1 / 60, seconds: 12.34 }]);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^sub-001\s+0\.812\s+0\.900\s+1\.000\s+1\.000\s+0\.870\s+0\.400\s+0\.250\s+0\.500\s+0\.017\s+12\.3 s$/);
  assert.equal(lines[0].length, lines[1].length);
});

test('brain2music decode with an unknown subject exits 4 and names the subjects', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', 'decode', '--bids', bids, '--embeddings', emb, '--subject', 'sub-009', '--out', join(root, 'run3')], { encoding: 'utf8' });
  assert.equal(res.status, 4, res.stderr);
  assert.match(res.stderr, /subject sub-009 is not in .*subjects: sub-001, sub-002/);
});

test('runDecode with embeddings made for other clips fails naming the embeddings file, and leaves no run folder behind', async () => {
  const other = join(root, 'emb', 'other.npy');
  const { writeNpy } = await import('../../src/io/index.ts');
  writeNpy(other, new Float32Array(2 * 4 * 6), [2, 4, 6]);
  writeFileSync(other.replace(/npy$/, 'json'), JSON.stringify({ model: 'other', version: 'x', dim: 6, sampleRate: 1, windowSec: 10, hopSec: 1.5, clipSec: 15, windowStarts: [0, 1.5, 3, 4.5], clipIds: ['pop.00001', 'pop.00002'] }));
  const out = join(root, 'never-made');
  await assert.rejects(runDecode({ bids, embeddings: other, subject: 'sub-001', out }, recordingUi()),
    (e: Error & { code?: string }) => e.code === 'MISMATCH' && e.message.startsWith(other) && /has no embedding for \d+ of the dataset's \d+ clips/.test(e.message));
  assert.equal(existsSync(out), false, 'a command that fails before writing creates no output folder');
});
