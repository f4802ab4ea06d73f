import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';

export type ElemType = 'float32' | 'int32' | 'int64';
export type Dim = number | string;
type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

const elemCode: Record<ElemType, number> = {
  float32: onnxProto.TensorProto.DataType.FLOAT,
  int32: onnxProto.TensorProto.DataType.INT32,
  int64: onnxProto.TensorProto.DataType.INT64,
};

/**
 * Builds an ONNX graph the way torch.onnx.export names things: a node is called by its module
 * path plus op (`/down_blocks.0/attentions.0/transformer_blocks.0/attn1/to_k/MatMul`), its
 * output is `<node name>_output_0`, weights are named by their parameter path. Weights are
 * seeded random normals scaled by 1/√fan-in so activations stay in a sane range.
 */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  readonly inputs: onnx.IValueInfoProto[] = [];
  readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();
  private constantCount = 0;

  constructor(private readonly rng: SeededRandom) {}

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A random float weight of the given shape; `fanIn` sets the scale (default: dims[0]). */
  weight(name: string, dims: number[], fanIn = dims[0]!): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.floatTensor(name, dims, this.rng.normals(count, 1 / Math.sqrt(fanIn)));
  }

  /** A float tensor with given values (norm scales, biases). */
  floatTensor(name: string, dims: number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values);
    this.initializers.push({
      name,
      dims,
      dataType: elemCode.float32,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /** An int64 constant (shapes, axes), named like torch's exported constants. */
  int64s(values: number[], dims: number[] = [values.length]): string {
    const name = `onnx::Constant_${this.constantCount++}`;
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims,
      dataType: elemCode.int64,
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  }

  /** A scalar float constant. */
  scalar(value: number): string {
    return this.floatTensor(`onnx::Constant_${this.constantCount++}`, [], [value]);
  }

  /** Adds a node; returns its output names (`<name>_output_<i>`). */
  node(
    opType: string,
    name: string,
    inputs: string[],
    attributes: Record<string, AttrValue> = {},
    outputCount = 1,
    domain?: string,
  ): string[] {
    if (this.usedNames.has(name)) throw new Error(`duplicate node name ${name}`);
    this.usedNames.add(name);
    const outputs = Array.from({ length: outputCount }, (_, i) => `${name}_output_${i}`);
    this.nodes.push({
      name,
      opType,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      ...(domain ? { domain } : {}),
    });
    return outputs;
  }

  /** Single-output shorthand. */
  op(
    opType: string,
    name: string,
    inputs: string[],
    attributes: Record<string, AttrValue> = {},
  ): string {
    return this.node(opType, name, inputs, attributes)[0]!;
  }

  /** Renames the output of the last node that produced `tensor` (graph outputs keep export names). */
  renameOutput(tensor: string, to: string): string {
    for (const n of this.nodes)
      if (n.output) n.output = n.output.map((o) => (o === tensor ? to : o));
    for (const n of this.nodes) if (n.input) n.input = n.input.map((i) => (i === tensor ? to : i));
    return to;
  }

  toModel(docString: string, opset = 17, domains: string[] = []): onnx.ModelProto {
    return onnxProto.ModelProto.create({
      irVersion: 8,
      producerName: 'pose-studio tinyPack',
      docString,
      opsetImport: [
        { domain: '', version: opset },
        ...domains.map((domain) => ({ domain, version: 1 })),
      ],
      graph: {
        name: 'main_graph',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }
}

export function valueInfo(name: string, type: ElemType, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemCode[type],
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  const T = onnxProto.AttributeProto.AttributeType;
  if (typeof value === 'string')
    return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.FLOATS, floats: value.floats };
}
