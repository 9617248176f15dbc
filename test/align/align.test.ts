import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import { alignWindows, clipScans, planClipScans, windowResponses, windowScanRange, type AlignableResponses } from '../../src/align/index.ts';

// A run whose value at (scan k, voxel v) is base + 100·k + v, so every average is checkable by hand.
function run(task: 'Training' | 'Test', runNo: number, nScans: number, V: number, base: number) {
  const data = new Float32Array(nScans * V);
  for (let k = 0; k < nScans; k++) for (let v = 0; v < V; v++) data[k * V + v] = base + 100 * k + v;
  return { task, run: runNo, nScans, data };
}

const V = 3;
const resp: AlignableResponses = {
  tr: 1.5,
  nVoxels: V,
  runs: [run('Training', 1, 30, V, 0), run('Test', 1, 20, V, 10000), run('Test', 2, 20, V, 20000)],
  presentations: [
    { clipId: 'a.00001', task: 'Training', run: 1, firstScan: 2, repetition: 0 },
    { clipId: 'b.00002', task: 'Training', run: 1, firstScan: 14, repetition: 0 },
    { clipId: 't.00050', task: 'Test', run: 1, firstScan: 1, repetition: 0 },
    { clipId: 't.00050', task: 'Test', run: 2, firstScan: 5, repetition: 1 },
    { clipId: 'c.00003', task: 'Training', run: 1, firstScan: 25, repetition: 0 },
  ],
};

test('windowScanRange(window, 1.5, 10) takes the scans whose onset lies in [start, end)', () => {
  assert.deepEqual(windowScanRange({ start: 0, end: 10 }, 1.5, 10), { first: 0, count: 7 });
  assert.deepEqual(windowScanRange({ start: 4.5, end: 14.5 }, 1.5, 10), { first: 3, count: 7 });
  assert.deepEqual(windowScanRange({ start: 1.5, end: 11.5 }, 1.5, 10), { first: 1, count: 7 });
  assert.deepEqual(windowScanRange({ start: 3, end: 4.5 }, 1.5, 10), { first: 2, count: 1 });
  assert.deepEqual(windowScanRange({ start: 0, end: 15 }, 1.5, 10), { first: 0, count: 10 });
  assert.deepEqual(windowScanRange({ start: 0.1, end: 5 }, 1.5, 10), { first: 1, count: 3 }, 'onsets 1.5, 3, 4.5');
  assert.throws(() => windowScanRange({ start: 0.2, end: 1.4 }, 1.5, 10), Brain2MusicError, 'no onset inside');
  assert.throws(() => windowScanRange({ start: 6, end: 16 }, 1.5, 10), /only 10 scans/);
});

test('clipScans(resp, "training", {lagTr: 3}) reads scans onset+3 … onset+12, clamping at the run end', () => {
  const cs = clipScans(resp, 'training', { lagTr: 3 });
  assert.deepEqual(cs.clipIds, ['a.00001', 'b.00002', 'c.00003']);
  assert.equal(cs.data.length, 3 * 10 * V);
  // clip a: first scan 2 + 3 = 5 → value of scan s, voxel 2 is 100·(5+s) + 2
  assert.equal(cs.data[(0 * 10 + 0) * V + 2], 502);
  assert.equal(cs.data[(0 * 10 + 9) * V + 0], 1400);
  // clip c: onset 25 + 3 = 28, scans 28, 29, then 8 clamped to 29 (run has 30 scans)
  assert.equal(cs.data[(2 * 10 + 0) * V + 0], 2800);
  assert.equal(cs.data[(2 * 10 + 1) * V + 0], 2900);
  assert.equal(cs.data[(2 * 10 + 9) * V + 1], 2901);
  assert.deepEqual(cs.clamped, [{ clipId: 'c.00003', task: 'Training', run: 1, repetition: 0, scansClamped: 8 }]);
  assert.deepEqual(cs.repetitions, [1, 1, 1]);
  assert.equal(cs.lagTr, 3);
});

test('clipScans(resp, "test", {lagTr: 0}) averages the repetitions scan by scan', () => {
  const cs = clipScans(resp, 'test', { lagTr: 0, scansPerClip: 4 });
  assert.deepEqual(cs.clipIds, ['t.00050']);
  assert.deepEqual(cs.repetitions, [2]);
  // rep 0: 10000 + 100·(1+s) + v; rep 1: 20000 + 100·(5+s) + v → mean 15000 + 100·(3+s) + v
  assert.deepEqual([...cs.data.subarray(0, V)], [15300, 15301, 15302]);
  assert.deepEqual([...cs.data.subarray(3 * V, 4 * V)], [15600, 15601, 15602]);
  assert.deepEqual(cs.clamped, []);
});

test('windowResponses(clipScans, windows, tr) averages each window\'s scans and equals alignWindows', () => {
  const windows = [{ start: 0, end: 10 }, { start: 4.5, end: 14.5 }];
  const cs = clipScans(resp, 'training', { lagTr: 3 });
  const wr = windowResponses(cs, windows, 1.5);
  assert.equal(wr.nClips, 3);
  assert.equal(wr.nWindows, 2);
  assert.deepEqual(wr.windowScans, [{ first: 0, count: 7 }, { first: 3, count: 7 }]);
  // clip a, window 0: scans 5…11 → mean 100·8 + v
  assert.deepEqual([...wr.data.subarray(0, V)], [800, 801, 802]);
  // clip a, window 1: scans 8…14 → 1100 + v
  assert.deepEqual([...wr.data.subarray(V, 2 * V)], [1100, 1101, 1102]);
  // clip c, window 1: scans 31…37 all clamped to 29
  assert.deepEqual([...wr.data.subarray((2 * 2 + 1) * V, (2 * 2 + 2) * V)], [2900, 2901, 2902]);
  const aw = alignWindows(resp, 'training', windows, { lagTr: 3 });
  assert.deepEqual(aw.data, wr.data);
  assert.deepEqual([...aw.groups], [0, 0, 1, 1, 2, 2]);
  assert.equal(aw.clamped.length, 1);
  const awTest = alignWindows(resp, 'test', windows, { lagTr: 0 });
  // test clip, window 0: mean over reps and scans 0…6 → 15000 + 100·(3+3) + v
  assert.deepEqual([...awTest.data.subarray(0, V)], [15600, 15601, 15602]);
});

test('planClipScans(resp, split, opts) rejects a bad lag and an onset outside its run', () => {
  assert.throws(() => planClipScans(resp, 'training', { lagTr: -1 }), /lag must be a whole number/);
  assert.throws(() => planClipScans(resp, 'training', { lagTr: 1.5 }), /lag must be a whole number/);
  const bad: AlignableResponses = { ...resp, presentations: [{ clipId: 'z', task: 'Training', run: 1, firstScan: 30, repetition: 0 }] };
  assert.throws(() => planClipScans(bad, 'training', { lagTr: 0 }), /starts at scan 30/);
  const noRun: AlignableResponses = { ...resp, presentations: [{ clipId: 'z', task: 'Training', run: 7, firstScan: 0, repetition: 0 }] };
  assert.throws(() => planClipScans(noRun, 'training', { lagTr: 0 }), /no such run/);
});
