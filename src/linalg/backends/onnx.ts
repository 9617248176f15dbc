import type { InferenceSession } from 'onnxruntime-node';
import { threadBudget } from '../../threads.ts';
import type { GemmBackend, GemmOptions, GraphFeed, QuadFormMode } from '../backend.ts';
import { sliceCols, type Matrix } from '../matrix.ts';
import { buildOnnxModel, ONNX_DOUBLE, ONNX_FLOAT } from './onnxModel.ts';

type Ort = typeof import('onnxruntime-node');

/**
 * Floats in the quadratic-form graph's s×q×b intermediates per run: near 2^22 (16 MiB in float32)
 * they stay in cache, and memory stays bounded for any b (bench:ridge: the whole fit 1.3x faster
 * than with runs over 2,500 columns; s 20, q = r = 512).
 */
export const QUAD_BLOCK_FLOATS = 1 << 22;

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
 * default: the thread budget, `threadBudget()`; `quadBlockFloats`: see QUAD_BLOCK_FLOATS). One session per dtype × transpose configuration, built on first use and
 * reused. Throws if `onnxruntime-node` or its native binary cannot be loaded.
 */
export async function createOnnxBackend(opts: { threads?: number; quadBlockFloats?: number } = {}): Promise<GemmBackend & { threads: number }> {
  const ort: Ort = await import('onnxruntime-node');
  const threads = opts.threads ?? threadBudget();
  const quadBlock = opts.quadBlockFloats ?? QUAD_BLOCK_FLOATS;
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
      const run = async (block: Matrix): Promise<Float32Array | Float64Array> => {
        const out = await s.run({
          M: new ort.Tensor(dtype, m.data, [m.rows, m.cols]),
          A: new ort.Tensor(dtype, block.data, [block.rows, block.cols]),
          D: new ort.Tensor(dtype, d.data, [d.rows, d.cols, 1]),
        });
        return out.Q.data as Float32Array | Float64Array;
      };
      // column blocks keep the graph's s×q×bc intermediates in cache (QUAD_BLOCK_FLOATS)
      const b = a.cols;
      const bc = Math.max(16, Math.floor(quadBlock / (d.rows * Math.max(m.rows, a.rows))));
      if (b <= bc * 1.5) return { rows: d.rows, cols: b, data: await run(a) };
      const q = dtype === 'float64' ? new Float64Array(d.rows * b) : new Float32Array(d.rows * b);
      for (let c0 = 0; c0 < b; c0 += bc) {
        const w = Math.min(bc, b - c0);
        const qc = await run(sliceCols(a, c0, c0 + w));
        for (let i = 0; i < d.rows; i++) q.set(qc.subarray(i * w, (i + 1) * w), i * b + c0);
      }
      return { rows: d.rows, cols: b, data: q };
    },
    async runGraph(key: string, model: () => Uint8Array, feeds: Record<string, GraphFeed>): Promise<Record<string, Float32Array | Float64Array>> {
      const s = await cached(`graph:${key}`, model);
      const tensors: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [name, f] of Object.entries(feeds)) tensors[name] = new ort.Tensor(f.data instanceof BigInt64Array ? 'int64' : f.data instanceof Float64Array ? 'float64' : 'float32', f.data, f.dims);
      const out = await s.run(tensors);
      const result: Record<string, Float32Array | Float64Array> = {};
      for (const [name, t] of Object.entries(out)) result[name] = t.data as Float32Array | Float64Array;
      return result;
    },
    async dispose() {
      for (const s of sessions.values()) await (await s).release();
      sessions.clear();
    },
  };
}
