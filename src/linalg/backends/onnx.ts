import type { InferenceSession } from 'onnxruntime-node';
import { threadBudget } from '../../threads.ts';
import type { GemmBackend, GemmOptions, QuadFormMode } from '../backend.ts';
import type { Matrix } from '../matrix.ts';
import { buildOnnxModel, ONNX_DOUBLE, ONNX_FLOAT } from './onnxModel.ts';

type Ort = typeof import('onnxruntime-node');

/** The ONNX graph for C = op(A)·op(B): one `Gemm` node with symbolic dimensions. */
export function gemmModel(dtype: 'float32' | 'float64', transA: boolean, transB: boolean): Uint8Array {
  const elemType = dtype === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
  return buildOnnxModel({
    name: `gemm_${dtype}_${transA ? 't' : 'n'}${transB ? 't' : 'n'}`,
    nodes: [{ opType: 'Gemm', inputs: ['A', 'B'], outputs: ['C'], attributes: [{ name: 'transA', int: transA ? 1 : 0 }, { name: 'transB', int: transB ? 1 : 0 }] }],
    inputs: [
      { name: 'A', elemType, dims: ['a_rows', 'a_cols'] },
      { name: 'B', elemType, dims: ['b_rows', 'b_cols'] },
    ],
    outputs: [{ name: 'C', elemType, dims: ['m', 'n'] }],
  });
}

/**
 * The ONNX graph for `scaledQuadForms`: inputs M (q×r), A (r×b), D (s×r×1); output Q (s×b) with
 * X = D·A (broadcast, s×r×b), H = M·X (batched MatMul, s×q×b), Q = ReduceSum(H∘X or H∘H, axis 1).
 */
export function quadFormModel(dtype: 'float32' | 'float64', mode: QuadFormMode): Uint8Array {
  const elemType = dtype === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
  return buildOnnxModel({
    name: `quadforms_${dtype}_${mode}`,
    nodes: [
      { opType: 'Mul', inputs: ['D', 'A'], outputs: ['X'] },
      { opType: 'MatMul', inputs: ['M', 'X'], outputs: ['H'] },
      { opType: 'Mul', inputs: ['H', mode === 'gram' ? 'X' : 'H'], outputs: ['P'] },
      { opType: 'ReduceSum', inputs: ['P'], outputs: ['Q'], attributes: [{ name: 'axes', ints: [1] }, { name: 'keepdims', int: 0 }] },
    ],
    inputs: [
      { name: 'M', elemType, dims: ['q', 'r'] },
      { name: 'A', elemType, dims: ['r', 'b'] },
      { name: 'D', elemType, dims: ['s', 'r', 1] },
    ],
    outputs: [{ name: 'Q', elemType, dims: ['s', 'b'] }],
  }, 11);
}

/**
 * The ONNX Runtime backend (CPU execution provider, MLAS kernels, `threads` intra-op threads,
 * default: the thread budget, `threadBudget()`). One session per dtype × transpose configuration, built on first use and
 * reused. Throws if `onnxruntime-node` or its native binary cannot be loaded.
 */
export async function createOnnxBackend(opts: { threads?: number } = {}): Promise<GemmBackend & { threads: number }> {
  const ort: Ort = await import('onnxruntime-node');
  const threads = opts.threads ?? threadBudget();
  const sessions = new Map<string, Promise<InferenceSession>>();
  const cached = (key: string, model: () => Uint8Array): Promise<InferenceSession> => {
    let s = sessions.get(key);
    if (!s) {
      s = ort.InferenceSession.create(model(), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // idle threads sleep instead of spinning: on a shared machine spinning burns CPU others need
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      sessions.set(key, s);
    }
    return s;
  };
  const session = (dtype: 'float32' | 'float64', transA: boolean, transB: boolean): Promise<InferenceSession> =>
    cached(`gemm:${dtype}:${transA}:${transB}`, () => gemmModel(dtype, transA, transB));
  // Probe once so a broken native binary fails here (and the registry can fall back) rather than mid-run.
  await session('float32', false, false);
  return {
    name: 'onnx',
    threads,
    async gemm(a: Matrix, b: Matrix, o: GemmOptions): Promise<Matrix> {
      const dtype = a.data instanceof Float64Array ? 'float64' : 'float32';
      const s = await session(dtype, !!o.transA, !!o.transB);
      const out = await s.run({
        A: new ort.Tensor(dtype, a.data, [a.rows, a.cols]),
        B: new ort.Tensor(dtype, b.data, [b.rows, b.cols]),
      });
      const c = out.C;
      const [m, n] = c.dims as readonly number[];
      const data = c.data as Float32Array | Float64Array;
      return { rows: m, cols: n, data };
    },
    async scaledQuadForms(m: Matrix, a: Matrix, d: Matrix, mode: QuadFormMode): Promise<Matrix> {
      const dtype = a.data instanceof Float64Array ? 'float64' : 'float32';
      const s = await cached(`quad:${dtype}:${mode}`, () => quadFormModel(dtype, mode));
      const out = await s.run({
        M: new ort.Tensor(dtype, m.data, [m.rows, m.cols]),
        A: new ort.Tensor(dtype, a.data, [a.rows, a.cols]),
        D: new ort.Tensor(dtype, d.data, [d.rows, d.cols, 1]),
      });
      return { rows: d.rows, cols: a.cols, data: out.Q.data as Float32Array | Float64Array };
    },
    async dispose() {
      for (const s of sessions.values()) await (await s).release();
      sessions.clear();
    },
  };
}
