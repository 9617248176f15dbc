import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import { cortexRoi, evaluateDecoding, fitStandardizer, roiList, selectStandardized, takeRows } from '../../src/decode/index.ts';

test('roiList(atlas) groups voxels by label, skips 0 and small regions, names unknown labels', () => {
  const labels = Int32Array.from([0, 3, 1, 3, 0, 1, 3, 7]);
  const names = new Map([[1, 'G_temp_sup'], [3, 'S_front']]);
  const rois = roiList({ labels, names });
  assert.deepEqual(rois.map((r) => [r.label, r.name, [...r.voxels]]), [
    [1, 'G_temp_sup', [2, 5]],
    [3, 'S_front', [1, 3, 6]],
    [7, 'label-7', [7]],
  ]);
  assert.deepEqual(roiList({ labels, names }, { minVoxels: 2 }).map((r) => r.label), [1, 3]);
  assert.deepEqual([...cortexRoi({ labels, names }).voxels], [1, 2, 3, 5, 6, 7]);
  assert.throws(() => roiList({ labels: new Int32Array(4), names }), Brain2MusicError);
});

test('fitStandardizer(X) uses population std, constant columns get std 1; selectStandardized picks columns', () => {
  const X = new Float32Array([1, 5, 2, /**/ 3, 5, 4, /**/ 5, 5, 6]); // 3 × 3
  const st = fitStandardizer(X, 3, 3);
  assert.deepEqual([...st.mean], [3, 5, 4]);
  assert.ok(Math.abs(st.std[0] - Math.sqrt(8 / 3)) < 1e-12);
  assert.equal(st.std[1], 1);
  const Z = selectStandardized(X, 3, 3, Int32Array.from([2, 1]), st);
  const s2 = Math.sqrt(8 / 3);
  assert.deepEqual([...Z].map((v) => Math.round(v * 1e6) / 1e6), [-2 / s2, 0, 0, 0, 2 / s2, 0].map((v) => Math.round(v * 1e6) / 1e6));
  // statistics of rows 0 and 2 only (an outer fold's training part): row 1 is never read
  const Xn = X.slice();
  Xn.fill(Number.NaN, 3, 6);
  const sub = fitStandardizer(Xn, 3, 3, [0, 2]);
  assert.deepEqual([...sub.mean], [3, 5, 4]);
  assert.deepEqual([...sub.std], [2, 1, 2]);
  assert.throws(() => fitStandardizer(X, 3, 3, [1]), /at least 2 training rows, got 1/);
});

test('takeRows(X, cols, rows) copies the rows in the given order', () => {
  assert.deepEqual([...takeRows(new Float32Array([1, 2, 3, 4, 5, 6]), 2, [2, 0])], [5, 6, 1, 2]);
});

test('evaluateDecoding(pred, target) scores windows and clips with chance levels', () => {
  // 3 clips × 2 windows × 3 dims; predictions equal targets → every score perfect.
  const target = new Float32Array([1, 0, 0, 1, 0.2, 0, /**/ 0, 1, 0, 0, 1, 0.3, /**/ 0, 0, 1, 0.1, 0, 1]);
  const m = evaluateDecoding(target, target, ['rock.1', 'jazz.2', 'rock.3'], 2, 3, (id) => id.split('.')[0]);
  assert.equal(m.identification.clips.value, 1);
  assert.equal(m.identification.clips.n, 3);
  assert.equal(m.identification.windows.n, 6);
  assert.equal(m.identification.windows.chance, 0.5);
  assert.equal(m.nWayTop1.value, 1);
  assert.equal(m.nWayTop1.chance, 1 / 3);
  assert.ok(Math.abs(m.r.value - 1) < 1e-12);
  assert.deepEqual(m.perGenre, [{ genre: 'jazz', n: 1, identification: 1 }, { genre: 'rock', n: 2, identification: 1 }]);
});
