/**
 * A minimal ONNX model writer: just enough protobuf to express one-node graphs such as
 * `Gemm(A, B)` with symbolic dimensions, so the ONNX Runtime backend needs no protobuf library.
 * Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * ValueInfoProto, TypeProto, TensorShapeProto).
 */

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_FLOAT = 1;
export const ONNX_DOUBLE = 11;
export const ONNX_INT64 = 7;

class ProtoWriter {
  private bytes: number[] = [];
  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  varint(v: number): void {
    let x = v;
    while (x >= 0x80) {
      this.bytes.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.bytes.push(x);
  }
  int(field: number, v: number): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(...b);
    return this;
  }
  message(field: number, body: Uint8Array): this {
    this.tag(field, 2);
    this.varint(body.length);
    for (const b of body) this.bytes.push(b);
    return this;
  }
  string(field: number, s: string): this {
    return this.message(field, new TextEncoder().encode(s));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A node attribute: an integer, a float, or a list of integers. */
export type OnnxAttribute = { name: string; int: number } | { name: string; float: number } | { name: string; ints: number[] };

/** One graph node: `opType(inputs) → outputs` with attributes. */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxAttribute[];
}

/** A graph input or output: element type and dims (a number is fixed, a string symbolic). */
export interface OnnxValue {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

function valueInfo(v: OnnxValue): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim.finish());
  }
  const tensor = new ProtoWriter().int(1, v.elemType).message(2, shape.finish());
  const type = new ProtoWriter().message(1, tensor.finish());
  return new ProtoWriter().string(1, v.name).message(2, type.finish()).finish();
}

function node(n: OnnxNode, index: number): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.opType.toLowerCase()}_${index}`);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) {
    const attr = new ProtoWriter().string(1, a.name);
    if ('int' in a) attr.int(3, a.int).int(20, 2);
    else if ('float' in a) attr.float(2, a.float).int(20, 1);
    else {
      for (const v of a.ints) attr.int(8, v);
      attr.int(20, 7);
    }
    w.message(5, attr.finish());
  }
  return w.finish();
}

/**
 * Serialises a single-graph ONNX model (IR version 8, default opset `opset`) to bytes that
 * `InferenceSession.create` accepts.
 */
export function buildOnnxModel(graph: { nodes: OnnxNode[]; inputs: OnnxValue[]; outputs: OnnxValue[]; name?: string }, opset = 17): Uint8Array {
  const g = new ProtoWriter();
  graph.nodes.forEach((n, i) => g.message(1, node(n, i)));
  g.string(2, graph.name ?? 'brain2music');
  for (const v of graph.inputs) g.message(11, valueInfo(v));
  for (const v of graph.outputs) g.message(12, valueInfo(v));
  const opsetId = new ProtoWriter().string(1, '').int(2, opset);
  return new ProtoWriter().int(1, 8).string(2, 'brain2music').message(7, g.finish()).message(8, opsetId.finish()).finish();
}
