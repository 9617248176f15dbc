import { buildOnnxModel, ONNX_DOUBLE, ONNX_FLOAT, ONNX_INT64, type GraphBackend, type Matrix } from '../linalg/index.ts';
import type { WorkDtype } from './arrays.ts';
import type { Fold } from './folds.ts';
import type { TargetBatch } from './solvers.ts';

// targetBatch (targets.ts) as one native call on a backend that runs ONNX graphs: the column
// slice of Y, its centring and the per-fold sums (as products with the folds' test-row
// indicators) run on every core instead of one TypeScript pass (bench:ridge: 0.1 s against 0.3 s
// for 10,000 targets). The sums accumulate in the work dtype, as the products they meet do.

/** Per fold set: the K×n test-row indicator matrix in each dtype. */
const indicators = new WeakMap<readonly Fold[], Partial<Record<WorkDtype, Float32Array | Float64Array>>>();

function testIndicator(folds: readonly Fold[], n: number, dtype: WorkDtype): Float32Array | Float64Array {
  const byType = indicators.get(folds) ?? {};
  indicators.set(folds, byType);
  let f = byType[dtype];
  if (!f) {
    f = dtype === 'float64' ? new Float64Array(folds.length * n) : new Float32Array(folds.length * n);
    for (const [k, fold] of folds.entries()) for (const i of fold.test) f[k * n + i] = 1;
    byType[dtype] = f;
  }
  return f;
}

/**
 * The same batch as `targetBatch(Y, { t0, b }, mean, dtype, folds)` (columns t0..t0+b of Y minus
 * `mean`, their sums over all rows and per fold over the test rows, the training means), with Y
 * already in the work dtype.
 */
export async function targetBatchOnGraph(backend: GraphBackend, Y: Matrix, t0: number, b: number, mean: Float64Array, dtype: WorkDtype, folds: readonly Fold[]): Promise<TargetBatch & { testSq: Float64Array[] }> {
  const n = Y.rows;
  const K = folds.length;
  const vec = (v: ArrayLike<number>) => (dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v));
  const i64 = (v: number) => ({ data: BigInt64Array.of(BigInt(v)), dims: [1] });
  const out = await backend.runGraph(`ridge-target-batch:${dtype}`, () => targetBatchModel(dtype), {
    Y: { data: Y.data, dims: [n, Y.cols] },
    Starts: i64(t0), Ends: i64(t0 + b), Axes: i64(1), Axis0: i64(0),
    Mu: { data: vec(mean.subarray(t0, t0 + b)), dims: [1, b] },
    F: { data: testIndicator(folds, n, dtype), dims: [K, n] },
  }, 2 * 2 * K * n * b);
  const ysum = Float64Array.from(out.YSum);
  const testSum = folds.map((_, f) => Float64Array.from(out.S.subarray(f * b, (f + 1) * b)));
  const testSq = folds.map((_, f) => Float64Array.from(out.SQ.subarray(f * b, (f + 1) * b)));
  const trainMean = folds.map((fold, f) => Float64Array.from(testSum[f], (v, t) => (ysum[t] - v) / fold.train.length));
  return { y: { rows: n, cols: b, data: out.Yc }, ysum, testSum, testSq, trainMean };
}

/** The ONNX graph of {@link targetBatchOnGraph} (opset 13): Yc = Y[:, t0:t0+b] − Mu, S = F·Yc, SQ = F·(Yc∘Yc), YSum = Σ_rows Yc. */
export function targetBatchModel(dtype: WorkDtype): Uint8Array {
  const elemType = dtype === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
  const v = (name: string, dims: (number | string)[]) => ({ name, elemType, dims });
  const i64 = (name: string) => ({ name, elemType: ONNX_INT64, dims: [1] });
  return buildOnnxModel({
    name: `ridge_target_batch_${dtype}`,
    nodes: [
      { opType: 'Slice', inputs: ['Y', 'Starts', 'Ends', 'Axes'], outputs: ['YB'] },
      { opType: 'Sub', inputs: ['YB', 'Mu'], outputs: ['Yc'] },
      { opType: 'MatMul', inputs: ['F', 'Yc'], outputs: ['S'] },
      { opType: 'Mul', inputs: ['Yc', 'Yc'], outputs: ['Y2'] },
      { opType: 'MatMul', inputs: ['F', 'Y2'], outputs: ['SQ'] },
      { opType: 'ReduceSum', inputs: ['Yc', 'Axis0'], outputs: ['YSum'], attributes: [{ name: 'keepdims', int: 0 }] },
    ],
    inputs: [v('Y', ['n', 'T']), i64('Starts'), i64('Ends'), i64('Axes'), i64('Axis0'), v('Mu', [1, 'b']), v('F', ['k', 'n'])],
    outputs: [v('Yc', ['n', 'b']), v('S', ['k', 'b']), v('SQ', ['k', 'b']), v('YSum', ['b'])],
  }, 13);
}
