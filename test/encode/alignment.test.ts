import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEncodingDesign, delayFeatures, gatherMeanRows, gatherRepetitions, gatherRows, genreOneHot, scanWindows, type EncodingResponses } from '../../src/encode/index.ts';
import type { ClipWindows } from '../../src/embed/index.ts';

test('scanWindows(space, j, tr) picks the windows covering the scan midpoint', () => {
  const mulan = { windowStarts: [0, 1.5, 3, 4.5], windowSec: 10 };
  assert.deepEqual(scanWindows(mulan, 0, 1.5), [0]);
  assert.deepEqual(scanWindows(mulan, 1, 1.5), [0, 1]);
  assert.deepEqual(scanWindows(mulan, 6, 1.5), [0, 1, 2, 3]); // midpoint 9.75 s
  assert.deepEqual(scanWindows(mulan, 8, 1.5), [2, 3]); // midpoint 12.75 s
  assert.deepEqual(scanWindows(mulan, 9, 1.5), [3]); // midpoint 14.25 s
  const soundstream = { windowStarts: [0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5], windowSec: 1.5 };
  for (let j = 0; j < 10; j++) assert.deepEqual(scanWindows(soundstream, j, 1.5), [j]);
  assert.deepEqual(scanWindows({ windowStarts: [0], windowSec: 0 }, 7, 1.5), [0]);
  assert.deepEqual(scanWindows({ windowStarts: [0, 10], windowSec: 2 }, 4, 1.5), [0]); // gap: last start before 6.75 s
});

test('delayFeatures(x, nScans, dim, delays) shifts each block and zero-pads at the run start', () => {
  const x = Float32Array.of(1, 10, 2, 20, 3, 30); // 3 scans × 2 dims
  assert.deepEqual([...delayFeatures(x, 3, 2, [0, 2])], [1, 10, 0, 0, 2, 20, 0, 0, 3, 30, 1, 10]);
  assert.deepEqual([...delayFeatures(Float32Array.of(1, 2, 3), 3, 1, [1, 2])], [0, 0, 1, 0, 2, 1]);
  assert.throws(() => delayFeatures(x, 3, 2, [1.5]), /integers/);
});

test('genreOneHot(clips) has one column per sorted genre', () => {
  const g = genreOneHot([{ id: 'rock.1', genre: 'rock' }, { id: 'jazz.1', genre: 'jazz' }, { id: 'rock.2', genre: 'rock' }]);
  assert.equal(g.dim, 2);
  assert.deepEqual([...g.data], [0, 1, 1, 0, 0, 1]);
  assert.deepEqual(g.clipIds, ['rock.1', 'jazz.1', 'rock.2']);
});

/** Two training runs of 3 clips (2 scans each) and one test run with clip t1 twice and t2 twice. */
function tinyResponses(): EncodingResponses {
  const V = 2;
  const run = (task: 'Training' | 'Test', r: number, nScans: number) => ({ task, run: r, nScans, data: Float32Array.from({ length: nScans * V }, (_, i) => r * 1000 + (task === 'Test' ? 500 : 0) + i) });
  return {
    subject: 'sub-001', tr: 1, nVoxels: V,
    runs: [run('Training', 1, 6), run('Training', 2, 6), run('Test', 1, 8)],
    presentations: [
      { clipId: 'a', task: 'Training', run: 1, firstScan: 0, repetition: 0 },
      { clipId: 'b', task: 'Training', run: 1, firstScan: 2, repetition: 0 },
      { clipId: 'c', task: 'Training', run: 1, firstScan: 4, repetition: 0 },
      { clipId: 'd', task: 'Training', run: 2, firstScan: 0, repetition: 0 },
      { clipId: 'e', task: 'Training', run: 2, firstScan: 2, repetition: 0 },
      { clipId: 'f', task: 'Training', run: 2, firstScan: 4, repetition: 0 },
      { clipId: 't1', task: 'Test', run: 1, firstScan: 0, repetition: 0 },
      { clipId: 't2', task: 'Test', run: 1, firstScan: 2, repetition: 0 },
      { clipId: 't2', task: 'Test', run: 1, firstScan: 4, repetition: 1 },
      { clipId: 't1', task: 'Test', run: 1, firstScan: 6, repetition: 1 },
    ],
    atlas: { labels: Int32Array.of(1, 2), names: new Map([[1, 'A'], [2, 'B']]) },
  };
}
const ids = ['a', 'b', 'c', 'd', 'e', 'f', 't1', 't2'];
/** One window per clip, 1-d: a..f = 1..6, t1 = 7, t2 = 8. */
const scalar: ClipWindows = { name: 's', clipIds: ids, data: Float32Array.from(ids, (_, i) => i + 1), nWindows: 1, dim: 1, windowStarts: [0], windowSec: 0 };

test('buildEncodingDesign(resp, [space]) z-scores with training scans, delays within runs, averages test repetitions', () => {
  const d = buildEncodingDesign(tinyResponses(), [scalar], { delays: [0, 1], scansPerClip: 2 });
  assert.equal(d.nTrain, 12);
  assert.equal(d.nFeatures, 2);
  // training timeline values 1,1,2,2,...,6,6: mean 3.5, population sd sqrt(35/12)
  const sd = Math.sqrt(35 / 12);
  const z = (v: number) => (v - 3.5) / sd;
  const row = (i: number) => [...d.trainX.subarray(2 * i, 2 * i + 2)];
  const close = (a: number[], b: number[]) => a.forEach((v, k) => assert.ok(Math.abs(v - b[k]!) < 1e-6, `${a} vs ${b}`));
  close(row(0), [z(1), 0]); // first scan of run 1: nothing before it
  close(row(2), [z(2), z(1)]); // clip b's first scan still sees clip a one scan back
  close(row(6), [z(4), 0]); // run 2 starts fresh (no leak from run 1)
  assert.deepEqual([...d.trainClip], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  assert.deepEqual([...d.trainRunGroup], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  // test: t1 scan 0 averages run scan 0 (delay-1 part 0) and scan 6 (delay-1 part t2's z(8))
  assert.deepEqual(d.testClipIds, ['t1', 't2']);
  assert.equal(d.nTest, 4);
  assert.equal(d.minTestReps, 2);
  close([...d.testX.subarray(0, 2)], [z(7), (0 + z(8)) / 2]);
  close([...d.testX.subarray(4, 6)], [z(8), (z(7) + z(8)) / 2]); // t2 scan 0 at scans 2 and 4: one scan back is t1, then t2
  assert.deepEqual([...d.testScan], [0, 6, 1, 7, 2, 4, 3, 5]);
});

test('gatherRows / gatherMeanRows / gatherRepetitions copy the referenced scans of a voxel range', () => {
  const resp = tinyResponses();
  const d = buildEncodingDesign(resp, [scalar], { delays: [1], scansPerClip: 2 });
  const y = gatherRows(resp, d.trainRun, d.trainScan, 1, 2);
  assert.deepEqual([...y.subarray(0, 3)], [1001, 1003, 1005]);
  assert.equal(y[6], 2001);
  const m = gatherMeanRows(resp, d.testOffsets, d.testRun, d.testScan, 0, 2);
  // test row 0 = mean of test-run scans 0 and 6: values 1500 + [0,1] and 1500 + [12,13]
  assert.deepEqual([...m.subarray(0, 2)], [1506, 1507]);
  const reps = gatherRepetitions(resp, d.testOffsets, d.testRun, d.testScan, 2, 0, 1);
  assert.deepEqual([...reps], [1500, 1502, 1504, 1506, 1512, 1514, 1508, 1510]);
});

test('buildEncodingDesign(resp, spaces) fails naming a clip missing from a space', () => {
  const partial: ClipWindows = { ...scalar, clipIds: ids.slice(0, 7), data: scalar.data.slice(0, 7) };
  assert.throws(() => buildEncodingDesign(tinyResponses(), [partial], { scansPerClip: 2 }), /'s' has no vectors for clip 't2' \(presented to \S+ in \w+ run \d+\): it lists 7 clips/);
});

test('readFeatureSpace(path) reads clips × windows × dim with the .json sidecar and names the space after the file', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writeNpy } = await import('../../src/io/index.ts');
  const { readFeatureSpace } = await import('../../src/encode/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'b2m-feat-'));
  try {
    writeNpy(join(dir, 'clap.npy'), Float32Array.from({ length: 2 * 4 * 3 }, (_, i) => i), [2, 4, 3]);
    writeFileSync(join(dir, 'clap.json'), JSON.stringify({ model: 'clap', dim: 3, clipIds: ['a', 'b'], windowStarts: [0, 1.5, 3, 4.5], windowSec: 10 }));
    const s = readFeatureSpace(join(dir, 'clap.npy'));
    assert.equal(s.name, 'clap');
    assert.deepEqual([s.nWindows, s.dim, s.windowSec], [4, 3, 10]);
    assert.equal(s.data[(1 * 4 + 2) * 3 + 1], 19); // clip 1, window 2, column 1
    writeFileSync(join(dir, 'clap.json'), JSON.stringify({ clipIds: ['a'] }));
    assert.throws(() => readFeatureSpace(join(dir, 'clap.npy')), /clipIds must be a list of 2 strings/);
    assert.throws(() => readFeatureSpace(join(dir, 'none.npy')), /has no sidecar/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
