import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEncode } from '../../src/cli/commands/encode.ts';
import type { CliUi } from '../../src/cli/ui.ts';
import type { EncodingSummary } from '../../src/encode/index.ts';
import { readNifti, writeNpy } from '../../src/io/index.ts';
import { writeDs003720Fixture } from '../bids/ds003720Fixture.ts';

function recordingUi(): CliUi & { lines: string[]; progressTasks: string[] } {
  const lines: string[] = [];
  const progressTasks: string[] = [];
  return {
    lines, progressTasks,
    info: (l) => lines.push(l),
    warn: (l) => lines.push(`warning: ${l}`),
    progress: (task) => { progressTasks.push(task); return { update() {}, end() {} }; },
  };
}

/** A ds003720-layout dataset (derivative arrays, atlas, 4×4×3 volume) and an 8-d feature file for all its clips. */
function fixture(dir: string) {
  const truth = writeDs003720Fixture(join(dir, 'ds'), { subjects: ['sub-001'], raw: false, derivative: true, atlas: true });
  const ids = [...truth.trainingIds, ...truth.testIds];
  let s = 3;
  const data = Float32Array.from({ length: ids.length * 4 * 8 }, () => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32 - 0.5; });
  const music = join(dir, 'music.npy');
  writeNpy(music, data, [ids.length, 4, 8]);
  writeFileSync(join(dir, 'music.json'), JSON.stringify({ model: 'test', dim: 8, clipIds: ids, windowStarts: [0, 1.5, 3, 4.5], windowSec: 10 }));
  return { truth, music };
}

test('runEncode({ features: "music.npy,genre", partition }) writes maps with the subject affine and a summary for each space', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-run-encode-'));
  try {
    const { truth, music } = fixture(dir);
    const ui = recordingUi();
    const out = join(dir, 'run');
    const [summary] = await runEncode({ bids: join(dir, 'ds'), features: `${music},genre`, subject: 'sub-001', out, partition: true }, ui);
    const enc = join(out, 'subjects', 'sub-001', 'encode');
    assert.equal(summary!.nVoxels, truth.maskIndices.length);
    assert.equal(summary!.nTrain, 4800); // 480 training clips × 10 scans
    assert.equal(summary!.nTest, 600); // 60 test clips × 10 scans, 4 repetitions averaged
    assert.deepEqual(summary!.delays, [1, 2, 3, 4]);
    assert.deepEqual([summary!.null, summary!.nPerm, summary!.pTail], ['block', 10_000, 'gpd']); // the defaults
    assert.deepEqual(Object.keys(summary!.models), ['music', 'genre', 'music+genre']);
    assert.equal(summary!.models.genre!.nFeatures, 40); // 10 genres × 4 delays
    assert.equal(summary!.comparisons.length, 1);
    assert.equal(summary!.partition!.joint, 'music+genre');
    for (const f of ['background', 'music_r', 'music_q', 'music_sig', 'music_ceiling', 'genre_r', 'music+genre_shared', 'music_minus_genre_rdiff']) {
      assert.ok(existsSync(join(enc, `${f}.nii.gz`)), `${f}.nii.gz written`);
    }
    const r = await readNifti(join(enc, 'music_r.nii.gz'));
    assert.deepEqual(r.dims.slice(0, 3), truth.shape);
    assert.deepEqual([...r.affine], [...truth.affine]);
    const fromDisk = JSON.parse(readFileSync(join(enc, 'summary.json'), 'utf8')) as EncodingSummary;
    assert.equal(fromDisk.models.music!.rois.length, truth.names.size);
    assert.ok(ui.lines.some((l) => /^sub-001: 36 voxels, 4800 training \/ 600 test scans/.test(l)), ui.lines.join('\n'));
    assert.ok(ui.lines.some((l) => l.includes('music vs genre: both')));
    assert.deepEqual(ui.progressTasks, ['sub-001 music voxels', 'sub-001 genre voxels', 'sub-001 music+genre voxels']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('runEncode rejects --delays with --lag-tr, an unknown subject and a missing feature file, naming the value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-run-encode-'));
  try {
    const { music } = fixture(dir);
    const base = { bids: join(dir, 'ds'), features: music, subject: 'sub-001', out: join(dir, 'run') };
    await assert.rejects(runEncode({ ...base, delays: [1, 2], lagTr: 3 }, recordingUi()), { code: 'BAD_INPUT', message: /either --delays or --lag-tr/ });
    await assert.rejects(runEncode({ ...base, subject: 'sub-009' }, recordingUi()), { code: 'NOT_FOUND', message: /sub-009/ });
    await assert.rejects(runEncode({ ...base, features: join(dir, 'nope.npy') }, recordingUi()), { code: 'NOT_FOUND', message: /nope\.npy does not exist/ });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('brain2music encode --lag-tr 3 --null block --p-tail none runs from the command line and prints the summary; a bad --p-tail is a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-run-encode-'));
  try {
    const { music } = fixture(dir);
    const res = spawnSync(process.execPath, ['bin/brain2music.js', 'encode', '--bids', join(dir, 'ds'), '--features', music, '--subject', 'sub-001', '--lag-tr', '3', '--null', 'block', '--n-perm', '99', '--p-tail', 'none', '--out', join(dir, 'run')], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /delays 3 TR · block null \(99 shuffles, p ≥ 1\/100\)/);
    assert.match(res.stdout, /music\s+significant\s+\d+/);
    const s = JSON.parse(readFileSync(join(dir, 'run', 'subjects', 'sub-001', 'encode', 'summary.json'), 'utf8')) as EncodingSummary;
    assert.deepEqual([s.null, s.nPerm, s.pTail], ['block', 99, 'none']);
    assert.deepEqual(s.delays, [3]);
    assert.equal(s.models.music!.nFeatures, 8);
    const bad = spawnSync(process.execPath, ['bin/brain2music.js', 'encode', '--bids', join(dir, 'ds'), '--features', music, '--p-tail', 'pareto', '--out', join(dir, 'run2')], { encoding: 'utf8' });
    assert.equal(bad.status, 2, bad.stderr); // a usage error (commander reports every option parser's): bad input
    assert.match(bad.stderr, /--p-tail.*pareto.*gpd.*none/s);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
