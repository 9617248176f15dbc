import { buildOnnxModel, ONNX_DOUBLE, ONNX_FLOAT, ONNX_INT64, type GraphBackend, type GraphFeed, type Matrix, type OnnxNode, type QuadFormMode } from '../linalg/index.ts';
import type { WorkDtype } from './arrays.ts';

// One test fold of the primal solver scored in one native call on a backend that runs ONNX
// graphs: the fold terms (A, C), Σyŷ, Σŷ and Σŷ² of every alpha, with no n_test×b prediction and
// no pass over the batch in TypeScript (bench:ridge: 18 ms against 21 ms per fold and batch of 400).

/** Inputs of one fold and target batch; see {@link primalFoldSums}. */
export interface PrimalFoldInputs {
  /** Test rows of X (centred over all samples), transposed (p×n_te), and of the batch's targets (n_te×b). */
  xTeT: Matrix;
  yTe: Matrix;
  /** XᵀY of the batch over all samples, p×b. */
  xty: Matrix;
  /** The fold's eigenvectors, transposed (Vᵀ, r×p), and G = BᵀB (r×r, 'gram') or B (n_te×r, 'norm'). */
  vT: Matrix;
  quad: Matrix;
  mode: QuadFormMode;
  /** 1/(λ+α) and Bᵀ1/(λ+α), nA×r. */
  d: Matrix;
  db: Matrix;
  /** Training-row means of X (p) and test-row sums of X (p), of the batch's targets (b), and its test-row sums (b). */
  mux: Float64Array;
  xsumTe: Float64Array;
  muy: Float64Array;
  testSum: Float64Array;
  nTrain: number;
  nTest: number;
  /** Also Σŷ (for the Pearson score). */
  withSum: boolean;
}

/**
 * Per alpha (rows) and target (columns), nA×b: Σyŷ over the test rows (`syh`), Σŷ² (`shh`) and,
 * with `withSum`, Σŷ (`sh`), where for training-centred targets
 *   A = Vᵀ(XᵀY − X_teᵀY_te − n_tr·μx·μyᵀ),  C = Vᵀ(X_teᵀY_te − μx·(s_te − n_te·μy)ᵀ − x_te·μyᵀ),
 *   syh = D·(C∘A),  sh = Db·A,  shh[α] = Σ_k (d_α∘A)ᵀ·G·(d_α∘A) (or ‖B·(d_α∘A)‖²),
 * the same sums the solver's fold terms give through separate products.
 */
export async function primalFoldSums(backend: GraphBackend, inp: PrimalFoldInputs, dtype: WorkDtype): Promise<{ syh: Matrix; shh: Matrix; sh: Matrix | null }> {
  const { xTeT, yTe, xty, vT, quad, d, db, mode, withSum } = inp;
  const p = xty.rows;
  const b = xty.cols;
  const r = vT.rows;
  const s = d.rows;
  const vec = (n: number, f: (i: number) => number): Float32Array | Float64Array => (dtype === 'float64' ? Float64Array.from({ length: n }, (_, i) => f(i)) : Float32Array.from({ length: n }, (_, i) => f(i)));
  const m = (x: Matrix): GraphFeed => ({ data: x.data, dims: [x.rows, x.cols] });
  const feeds: Record<string, GraphFeed> = {
    XteT: m(xTeT), Yte: m(yTe), M: m(xty), VT: m(vT), Q: m(quad), D: m(d),
    NMux: { data: vec(p, (i) => inp.nTrain * inp.mux[i]), dims: [p, 1] },
    Muy: { data: vec(b, (t) => inp.muy[t]), dims: [1, b] },
    MuxXs: { data: vec(2 * p, (i) => (i % 2 === 0 ? inp.mux[i >> 1] : inp.xsumTe[i >> 1])), dims: [p, 2] },
    EMuy: { data: vec(2 * b, (i) => (i < b ? inp.testSum[i] - inp.nTest * inp.muy[i] : inp.muy[i - b])), dims: [2, b] },
    Axis1: { data: BigInt64Array.of(1n), dims: [1] },
    Axis2: { data: BigInt64Array.of(2n), dims: [1] },
    ...(withSum ? { Db: m(db) } : {}),
  };
  const nTe = xTeT.cols;
  const q = quad.rows;
  const flops = 2 * b * (nTe * p + 2 * p * r + 3 * p + s * r + s * q * r + (withSum ? s * r : 0));
  const out = await backend.runGraph(`ridge-primal-fold:${dtype}:${mode}:${withSum ? 'sum' : 'nosum'}`, () => primalFoldModel(dtype, mode, withSum), feeds, flops);
  const mat = (data: Float32Array | Float64Array): Matrix => ({ rows: s, cols: b, data });
  return { syh: mat(out.SYH), shh: mat(out.SHH), sh: withSum ? mat(out.SH) : null };
}

/** The ONNX graph of {@link primalFoldSums} (opset 13). */
export function primalFoldModel(dtype: WorkDtype, mode: QuadFormMode, withSum: boolean): Uint8Array {
  const elemType = dtype === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
  const node = (opType: string, inputs: string[], output: string, attributes?: OnnxNode['attributes']): OnnxNode => ({ opType, inputs, outputs: [output], ...(attributes ? { attributes } : {}) });
  const nodes: OnnxNode[] = [
    node('MatMul', ['XteT', 'Yte'], 'PTe'),
    node('Sub', ['M', 'PTe'], 'MP'),
    node('MatMul', ['NMux', 'Muy'], 'R1'),
    node('Sub', ['MP', 'R1'], 'MTr'),
    node('MatMul', ['MuxXs', 'EMuy'], 'R2'),
    node('Sub', ['PTe', 'R2'], 'PC'),
    node('MatMul', ['VT', 'MTr'], 'A'),
    node('MatMul', ['VT', 'PC'], 'C'),
    node('Mul', ['C', 'A'], 'CA'),
    node('MatMul', ['D', 'CA'], 'SYH'),
    node('Unsqueeze', ['D', 'Axis2'], 'D3'),
    node('Mul', ['D3', 'A'], 'X'),
    node('MatMul', ['Q', 'X'], 'H'),
    node('Mul', ['H', mode === 'gram' ? 'X' : 'H'], 'P'),
    node('ReduceSum', ['P', 'Axis1'], 'SHH', [{ name: 'keepdims', int: 0 }]),
    ...(withSum ? [node('MatMul', ['Db', 'A'], 'SH')] : []),
  ];
  const v = (name: string, dims: (number | string)[]) => ({ name, elemType, dims });
  const axis = (name: string) => ({ name, elemType: ONNX_INT64, dims: [1] });
  return buildOnnxModel({
    name: `ridge_primal_fold_${dtype}_${mode}`,
    nodes,
    inputs: [
      v('XteT', ['p', 'nte']), v('Yte', ['nte', 'b']), v('M', ['p', 'b']), v('VT', ['r', 'p']), v('Q', ['q', 'r']), v('D', ['s', 'r']),
      v('NMux', ['p', 1]), v('Muy', [1, 'b']), v('MuxXs', ['p', 2]), v('EMuy', [2, 'b']), axis('Axis1'), axis('Axis2'),
      ...(withSum ? [v('Db', ['s', 'r'])] : []),
    ],
    outputs: [v('SYH', ['s', 'b']), v('SHH', ['s', 'b']), ...(withSum ? [v('SH', ['s', 'b'])] : [])],
  }, 13);
}
