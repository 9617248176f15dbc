import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import { createRng, getBackend, type GraphBackend } from '../../src/linalg/index.ts';
import { targetBatchOnGraph } from '../../src/ridge/targetBatchGraph.ts';
import { kFold, type Fold } from '../../src/ridge/folds.ts';
import { finiteColumnMeans, targetBatch } from '../../src/ridge/targets.ts';

function randomY(n: number, T: number, seed: number): { rows: number; cols: number; data: Float32Array } {
  const rng = createRng(seed);
  return { rows: n, cols: T, data: Float32Array.from({ length: n * T }, () => 5 + rng.normal()) };
}

/** Float64 reference of targetBatch: the centred columns and each fold's sums, computed fold by fold. */
function reference(Y: { rows: number; cols: number; data: Float32Array }, cols: number[], mean: Float64Array, folds: Fold[]) {
  const n = Y.rows;
  const y = cols.map((c) => Float64Array.from({ length: n }, (_, i) => Math.fround(Y.data[i * Y.cols + c] - mean[c])));
  const sum = (v: Float64Array, rows: Iterable<number>, sq = false) => {
    let s = 0;
    for (const i of rows) s += sq ? v[i] * v[i] : v[i];
    return s;
  };
  const all = Array.from({ length: n }, (_, i) => i);
  return {
    y,
    ysum: y.map((v) => sum(v, all)),
    testSum: folds.map((f) => y.map((v) => sum(v, f.test))),
    testSq: folds.map((f) => y.map((v) => sum(v, f.test, true))),
    trainMean: folds.map((f) => y.map((v) => sum(v, f.train) / f.train.length)),
  };
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-9 * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

test('targetBatch(Y, cols, mean, dtype, folds) gives the centred columns and per-fold sums of a fold-by-fold float64 reference: K-fold, overlapping explicit folds, a column list', () => {
  const n = 23;
  const Y = randomY(n, 9, 1);
  const mean = finiteColumnMeans(Y, 'Y');
  const overlapping: Fold[] = [
    { train: Int32Array.from({ length: 15 }, (_, i) => i + 8), test: Int32Array.from({ length: 8 }, (_, i) => i) },
    { train: Int32Array.from({ length: 17 }, (_, i) => (i < 4 ? i : i + 6)), test: Int32Array.from({ length: 6 }, (_, i) => i + 4) }, // rows 4-7 in both test sets
  ];
  const cases: [string, number[], { t0: number; b: number } | number[], Fold[]][] = [
    ['K-fold, columns 2..6', [2, 3, 4, 5, 6], { t0: 2, b: 5 }, kFold(n, 4)],
    ['overlapping explicit folds', [0, 1, 2, 3, 4, 5, 6, 7, 8], { t0: 0, b: 9 }, overlapping],
    ['column list, K-fold', [7, 1, 4], [7, 1, 4], kFold(n, 5)],
  ];
  for (const [name, cols, sel, folds] of cases) {
    const got = targetBatch(Y, sel, mean, 'float32', folds);
    const want = reference(Y, cols, mean, folds);
    const b = cols.length;
    assert.deepEqual([got.y.rows, got.y.cols], [n, b], name);
    assert.ok(got.y.data instanceof Float32Array, name);
    want.y.forEach((col, t) => assertClose(Array.from({ length: n }, (_, i) => got.y.data[i * b + t]), col, `${name} y col ${t}`));
    assertClose(got.ysum, want.ysum, `${name} ysum`);
    folds.forEach((_, f) => {
      assertClose(got.testSum[f], want.testSum[f], `${name} testSum ${f}`);
      assertClose(got.testSq[f], want.testSq[f], `${name} testSq ${f}`);
      assertClose(got.trainMean[f], want.trainMean[f], `${name} trainMean ${f}`);
    });
  }
});

test('finiteColumnMeans(m, name) gives float64 column means, names the first NaN/Inf, and survives finite values whose sum overflows', () => {
  const m = { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5, 9) };
  assert.deepEqual(Array.from(finiteColumnMeans(m, 'X')), [3, 5]);
  const withNaN = { rows: 3, cols: 2, data: Float32Array.of(1, 2, 3, NaN, 5, Infinity) };
  assert.throws(() => finiteColumnMeans(withNaN, 'Y'), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /Y has a non-finite value \(NaN\) at row 1, column 1/.test(e.message));
  const huge = { rows: 2, cols: 1, data: Float64Array.of(1.5e308, 1.7e308) };
  assert.equal(finiteColumnMeans(huge, 'Y')[0], 1.6e308);
});

test('targetBatchOnGraph (ONNX Runtime) gives the batch targetBatch gives: K-fold and overlapping explicit folds, float32 and float64', async (t) => {
  let backend: GraphBackend;
  try {
    const b = await getBackend('onnx');
    if (!b.runGraph) return t.skip('the onnx backend runs no graphs');
    backend = b as GraphBackend;
  } catch (err) {
    return t.skip(`onnxruntime-node cannot start here: ${(err as Error).message.split('\n')[0]}`);
  }
  const n = 23;
  const overlapping: Fold[] = [
    { train: Int32Array.from({ length: 15 }, (_, i) => i + 8), test: Int32Array.from({ length: 8 }, (_, i) => i) },
    { train: Int32Array.from({ length: 17 }, (_, i) => (i < 4 ? i : i + 6)), test: Int32Array.from({ length: 6 }, (_, i) => i + 4) },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const Y32 = randomY(n, 9, 2);
    const Y = dtype === 'float32' ? Y32 : { ...Y32, data: Float64Array.from(Y32.data) };
    const mean = finiteColumnMeans(Y, 'Y');
    for (const [name, folds] of [['K-fold', kFold(n, 4)], ['overlapping', overlapping]] as const) {
      const got = await targetBatchOnGraph(backend, Y, 2, 5, mean, dtype, folds);
      const want = targetBatch(Y, { t0: 2, b: 5 }, mean, dtype, folds);
      assert.equal(got.y.data.constructor, want.y.data.constructor, `${dtype} ${name}`);
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
        assert.equal(a.length, b.length, what);
        for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${dtype} ${name} ${what}[${i}]: ${a[i]} vs ${b[i]}`);
      };
      close(got.y.data, want.y.data, 'y');
      close(got.ysum, want.ysum, 'ysum');
      folds.forEach((_, f) => {
        close(got.testSum[f], want.testSum[f], `testSum ${f}`);
        close(got.testSq[f], want.testSq[f], `testSq ${f}`);
        close(got.trainMean[f], want.trainMean[f], `trainMean ${f}`);
      });
    }
  }
});
