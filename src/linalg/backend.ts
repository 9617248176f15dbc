import type { Matrix } from './matrix.ts';

/** Operand transposes for {@link GemmBackend.gemm}. */
export interface GemmOptions {
  /** Use Aᵀ (A is stored k×m). */
  transA?: boolean;
  /** Use Bᵀ (B is stored n×k). */
  transB?: boolean;
}

/** 'gram': m is a symmetric r×r Gram matrix G; 'norm': m is any q×r matrix L (G = LᵀL). */
export type QuadFormMode = 'gram' | 'norm';

/** One input of {@link GemmBackend.runGraph}: row-major data and its dims. */
export interface GraphFeed {
  data: Float32Array | Float64Array | BigInt64Array;
  dims: number[];
}

/**
 * The one kernel a backend must provide: C = op(A)·op(B), with op(A) m×k and op(B) k×n.
 * Both operands have the same dtype (float32 or float64) and C has that dtype; all row-major.
 * Shapes are checked by the caller (`matmul`). Everything else in linalg is built on top of it.
 */
export interface GemmBackend {
  readonly name: string;
  gemm(a: Matrix, b: Matrix, opts: GemmOptions): Promise<Matrix>;
  /**
   * Optional fused kernel behind `scaledQuadForms` (see there); backends without it get the
   * TypeScript implementation.
   */
  scaledQuadForms?(m: Matrix, a: Matrix, d: Matrix, mode: QuadFormMode): Promise<Matrix>;
  /**
   * Optional, for backends that execute ONNX models: runs `model()` (built once per `key`) on
   * `feeds` and returns its outputs by name, so that a chain of products and elementwise steps is
   * one native call. `flops` is the work of the graph's products (2·m·n·k each), for accounting.
   */
  runGraph?(key: string, model: () => Uint8Array, feeds: Record<string, GraphFeed>, flops: number): Promise<Record<string, Float32Array | Float64Array>>;
  /** Releases native resources (sessions); the backend must not be used afterwards. */
  dispose?(): Promise<void>;
}

/** A backend that runs ONNX graphs (has {@link GemmBackend.runGraph}). */
export type GraphBackend = GemmBackend & { runGraph: NonNullable<GemmBackend['runGraph']> };
