import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import { rankVoxels, selectVoxels } from '../../src/decode/index.ts';

const r = Float32Array.of(0.1, 0.3, -0.2, 0.3, 0.05, 0.06, 0);

test('rankVoxels(r) orders voxels by r, best first, ties to the lower index', () => {
  assert.deepEqual([...rankVoxels(r)], [1, 3, 0, 5, 4, 6, 2]);
});

test('selectVoxels(encoding-top) keeps the n best (ascending indices) and clamps n > V with a note', () => {
  assert.deepEqual(selectVoxels({ kind: 'encoding-top', n: 3 }, r, 7, 'x'), { voxels: Int32Array.of(0, 1, 3), notes: [] });
  // tie at 0.3 between voxels 1 and 3: n = 1 keeps the lower index
  assert.deepEqual([...selectVoxels({ kind: 'encoding-top', n: 1 }, r, 7, 'x').voxels], [1]);
  const all = selectVoxels({ kind: 'encoding-top', n: 3000 }, r, 7, 'x');
  assert.deepEqual([...all.voxels], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(all.notes, ['encoding:3000 asks for more voxels than the 7 there are: all 7 used.']);
});

test('selectVoxels(encoding-r) keeps r strictly above the threshold; all keeps every voxel', () => {
  assert.deepEqual([...selectVoxels({ kind: 'encoding-r', threshold: 0.05 }, r, 7, 'x').voxels], [0, 1, 3, 5]);
  assert.deepEqual([...selectVoxels({ kind: 'encoding-r', threshold: 0 }, r, 7, 'x').voxels], [0, 1, 3, 4, 5]);
  assert.deepEqual([...selectVoxels({ kind: 'all' }, null, 4, 'x').voxels], [0, 1, 2, 3]);
});

test('selectVoxels(encoding-r) selecting no voxel fails saying how many voxels reach which r and what to pass instead', () => {
  const weak = Float32Array.from({ length: 500 }, (_, v) => (v % 10) / 1000); // r 0 … 0.009
  assert.throws(() => selectVoxels({ kind: 'encoding-r', threshold: 0.05 }, weak, 500, 'outer fold 2 of 5 (its 384 training clips)'), (e: unknown) => {
    assert.ok(e instanceof Brain2MusicError && e.code === 'BAD_INPUT');
    assert.match(e.message, /^encoding-r:0.05 selects no voxel in outer fold 2 of 5 \(its 384 training clips\): none of the 500 voxels has encoding CV r > 0.05/);
    assert.match(e.message, /best r 0\.0090; 0 above 0\.025; 0 above 0\.0125; 450 above 0\)/);
    // the 100th best r is 0.008 (voxels ending in 8 or 9: 50 each); strictly above it: the 50 at 0.009
    assert.match(e.message, /Pass a lower threshold, e\.g\. encoding-r:0\.008 \(50 voxels\) or a voxel count such as encoding:500\./);
    return true;
  });
  assert.throws(() => selectVoxels({ kind: 'encoding-r', threshold: 0 }, Float32Array.of(0, -0.1), 2, 'the training clips'),
    /encoding-r:0 selects no voxel in the training clips: none of the 2 voxels has encoding CV r > 0 \(best r 0\.0000\)\. Pass a lower threshold, e\.g\. a voxel count such as encoding:2\./);
});
