// Builds small ONNX models for tests (tiny stand-ins for real exported models: same input and
// output names, real operators, seeded weights). Uses onnx-proto's generated protobuf classes.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type ElemType = 'float' | 'int64' | 'bool';
const ELEM: Record<ElemType, number> = { float: 1, int64: 7, bool: 9 };

/** A dimension: a fixed size or a symbolic name (as exporters write `batch_size`). */
export type Dim = number | string;

export interface ValueSpec {
  name: string;
  type: ElemType;
  shape: Dim[];
}

function valueInfo(v: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEM[v.type],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

type AttrValue = number | number[] | string;

/** Collects nodes and initializers, then serialises an opset-17 model. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;

  /** Adds a float32 initializer and returns its name. */
  floatConst(name: string, dims: number[], values: Float32Array | number[]): string {
    this.inits.push({ name, dims, dataType: ELEM.float, floatData: Array.from(values) });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64Const(name: string, values: number[], dims: number[] = [values.length]): string {
    this.inits.push({ name, dims, dataType: ELEM.int64, int64Data: values });
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    const attribute: onnxProto.onnx.IAttributeProto[] = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) };
      if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
      return Number.isInteger(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
        : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v };
    });
    this.nodes.push({ opType, input: inputs, output: [out], attribute });
    return out;
  }

  /** Serialises the model with the given graph inputs and outputs. */
  build(inputs: ValueSpec[], outputs: ValueSpec[]): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'brain2music-tests',
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'tiny',
        node: this.nodes,
        initializer: this.inits,
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** Deterministic pseudo-random weights in [-scale, scale). */
export function seededWeights(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
