// Narrow views of the transformers.js objects the adapters use (its own typings return `any`
// from calls); each adapter casts once at load time and stays typed afterwards.

/** What the adapters read from a transformers.js Tensor. */
export interface TensorLike {
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array;
}

/** A loaded model: called with named tensors, returns named tensors (every ONNX output). */
export interface ModelLike {
  (inputs: Record<string, unknown>): Promise<Record<string, TensorLike>>;
  sessions?: Record<string, { outputNames: string[]; inputNames: string[] }>;
  dispose(): Promise<unknown>;
}

/** A feature extractor: audio in, named tensors out. */
export type AudioFeatureExtractorLike = (audio: Float32Array) => Promise<Record<string, TensorLike>>;

/** A tokenizer called on a batch of strings. */
export type TokenizerLike = (texts: string[], opts: { padding: boolean; truncation: boolean }) => Record<string, TensorLike>;

/** Returns `out[name]` as float32 data with its dims, or fails naming the available outputs. */
export function floatOutput(outputs: Record<string, TensorLike>, name: string, where: string): { dims: number[]; data: Float32Array } {
  const t = outputs[name];
  if (!t || !(t.data instanceof Float32Array)) {
    throw new Error(`${where} has no float32 output '${name}' (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  return { dims: t.dims, data: t.data };
}
