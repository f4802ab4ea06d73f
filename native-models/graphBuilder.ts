/**
 * A tiny ONNX graph builder over `onnx-proto`: enough to write the project's own graphs by hand
 * (named values, typed inputs/outputs with symbolic dims, int64/float constants, attributes).
 * The result is a serialized ModelProto, byte-for-byte deterministic for the same calls, so its
 * sha256 can be pinned in a manifest.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type ElemType = 'float32' | 'int64' | 'uint8';
const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  uint8: onnx.TensorProto.DataType.UINT8,
};

/** A dimension is a fixed size or a symbolic name (dynamic). */
export type Dim = number | string;
export type AttrValue = number | string | number[] | { float: number };

export interface ValueInfo {
  name: string;
  type: ElemType;
  dims: Dim[];
}

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  output(value: string, name: string, type: ElemType, dims: Dim[]): void {
    this.node('Identity', [value], {}, name);
    this.outputs.push({ name, type, dims });
  }

  constFloat(values: number[], dims: number[] = [values.length]): string {
    const name = `const_${this.counter++}`;
    this.initializers.push(
      onnx.TensorProto.create({ name, dims, dataType: ELEM.float32, floatData: values }),
    );
    return name;
  }

  constInt64(values: number[], dims: number[] = [values.length]): string {
    const name = `const_${this.counter++}`;
    this.initializers.push(
      onnx.TensorProto.create({ name, dims, dataType: ELEM.int64, int64Data: values }),
    );
    return name;
  }

  /** Adds a node and returns the name of its (first) output. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    const output = out ?? `${op.toLowerCase()}_${this.counter++}`;
    this.nodes.push(
      onnx.NodeProto.create({
        opType: op,
        name: `${op}_${this.counter++}`,
        input: inputs,
        output: [output],
        attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
      }),
    );
    return output;
  }

  toBytes(opset: number, docString: string): Uint8Array {
    const valueInfo = (v: ValueInfo) =>
      onnx.ValueInfoProto.create({
        name: v.name,
        type: {
          tensorType: {
            elemType: ELEM[v.type],
            shape: {
              dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
            },
          },
        },
      });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'pose-studio',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function attribute(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string')
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if (typeof v === 'object') return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.INT, i: v });
}
