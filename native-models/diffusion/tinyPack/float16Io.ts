import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';

const FLOAT = 1;
const FLOAT16 = 10;

/**
 * Gives a float32 model float16 inputs and outputs (Cast at the edges), like the signatures of
 * `--fp16` / Olive exports. The body stays float32: ORT's CPU provider lacks float16 kernels for
 * several of these ops, and what this variant tests is the pipeline's half-precision I/O.
 */
export function withFloat16Io(model: onnx.ModelProto): onnx.ModelProto {
  const graph = model.graph!;
  const castTo = (to: number) => ({
    name: 'to',
    type: onnxProto.AttributeProto.AttributeType.INT,
    i: to,
  });
  const front: onnx.INodeProto[] = [];
  for (const input of graph.input ?? []) {
    const t = input.type?.tensorType;
    if (!t || t.elemType !== FLOAT) continue;
    const inner = `${input.name}__float32`;
    for (const n of graph.node ?? [])
      n.input = (n.input ?? []).map((x) => (x === input.name ? inner : x));
    front.push({
      name: `/${input.name}/Cast_float16_in`,
      opType: 'Cast',
      input: [input.name!],
      output: [inner],
      attribute: [castTo(FLOAT)],
    });
    t.elemType = FLOAT16;
  }
  const back: onnx.INodeProto[] = [];
  for (const output of graph.output ?? []) {
    const t = output.type?.tensorType;
    if (!t || t.elemType !== FLOAT) continue;
    const inner = `${output.name}__float32`;
    for (const n of graph.node ?? []) {
      n.output = (n.output ?? []).map((x) => (x === output.name ? inner : x));
      n.input = (n.input ?? []).map((x) => (x === output.name ? inner : x));
    }
    back.push({
      name: `/${output.name}/Cast_float16_out`,
      opType: 'Cast',
      input: [inner],
      output: [output.name!],
      attribute: [castTo(FLOAT16)],
    });
    t.elemType = FLOAT16;
  }
  graph.node = [...front, ...(graph.node ?? []), ...back];
  return model;
}
