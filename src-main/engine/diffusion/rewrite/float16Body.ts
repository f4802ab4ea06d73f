import type { onnx } from 'onnx-proto';
import { AttrType, DataType } from './graphEdit';

/**
 * A float16 model body for a provider without float16 kernels (ORT's CPU provider lacks them
 * for several UNet ops, and fails late, at the first run). The body is upcast to float32 while
 * the model keeps its float16 inputs and outputs, so callers and pack signatures do not change:
 *
 * - every float16 initializer is renamed and read through a Cast to float32 (ORT folds the Cast
 *   at load; external weight files are read as they are, nothing is rewritten on disk);
 * - Cast/RandomNormalLike-style `to`/`dtype` attributes naming float16 name float32;
 * - float16 Constant / ConstantOfShape values are followed by a Cast to float32;
 * - float16 graph inputs are cast to float32 on entry, float16 outputs back on exit;
 * - value_info records typed float16 are dropped (ORT infers them again).
 */
export function hasFloat16Body(graph: onnx.IGraphProto): boolean {
  return (graph.initializer ?? []).some((t) => t.dataType === DataType.FLOAT16);
}

export function upcastFloat16Body(graph: onnx.IGraphProto): string[] {
  const changes: string[] = [];
  const head: onnx.INodeProto[] = [];
  const rename = new Map<string, string>();
  const cast = (from: string, to: string, type: number, name: string): onnx.INodeProto => ({
    name,
    opType: 'Cast',
    input: [from],
    output: [to],
    attribute: [{ name: 'to', type: AttrType.INT, i: type }],
  });

  let weights = 0;
  for (const t of graph.initializer ?? []) {
    if (t.dataType !== DataType.FLOAT16) continue;
    const original = t.name!;
    t.name = `${original}/float16`;
    head.push(cast(t.name, original, DataType.FLOAT, `/upcast/${original}`));
    weights++;
  }
  if (weights > 0) changes.push(`${weights} float16 initializers read through Cast → float32`);

  for (const input of graph.input ?? []) {
    if (input.type?.tensorType?.elemType !== DataType.FLOAT16) continue;
    if ((graph.initializer ?? []).some((t) => t.name === input.name)) continue;
    const inside = `${input.name}/float32`;
    rename.set(input.name!, inside);
    head.push(cast(input.name!, inside, DataType.FLOAT, `/upcast/input/${input.name}`));
  }

  const tail: onnx.INodeProto[] = [];
  const after = new Map<onnx.INodeProto, onnx.INodeProto[]>();
  let attributes = 0;
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map((i) => rename.get(i) ?? i);
    for (const a of n.attribute ?? []) {
      if ((a.name === 'to' || a.name === 'dtype') && Number(a.i) === DataType.FLOAT16) {
        a.i = DataType.FLOAT;
        attributes++;
      }
      if (
        a.t &&
        a.t.dataType === DataType.FLOAT16 &&
        (n.opType === 'Constant' || n.opType === 'ConstantOfShape')
      ) {
        const out = n.output![0]!;
        n.output = [`${out}/float16`];
        after.set(n, [cast(n.output[0]!, out, DataType.FLOAT, `/upcast/${out}`)]);
        attributes++;
      }
      if (a.g || (a.graphs ?? []).length > 0)
        throw new Error(`${n.name}: float16 subgraphs (${n.opType}) cannot be upcast`);
    }
  }
  if (attributes > 0) changes.push(`${attributes} float16 casts and constants made float32`);

  for (const output of graph.output ?? []) {
    if (output.type?.tensorType?.elemType !== DataType.FLOAT16) continue;
    const inside = `${output.name}/float32`;
    for (const n of graph.node ?? [])
      n.output = (n.output ?? []).map((o) => (o === output.name ? inside : o));
    for (const n of graph.node ?? [])
      n.input = (n.input ?? []).map((i) => (i === output.name ? inside : i));
    tail.push(cast(inside, output.name!, DataType.FLOAT16, `/upcast/output/${output.name}`));
  }
  if (rename.size > 0 || tail.length > 0)
    changes.push('float16 inputs and outputs kept; cast to and from float32 at the edges');

  graph.node = [
    ...head,
    ...(graph.node ?? []).flatMap((n) => [n, ...(after.get(n) ?? [])]),
    ...tail,
  ];
  graph.valueInfo = (graph.valueInfo ?? []).filter(
    (v) => v.type?.tensorType?.elemType !== DataType.FLOAT16,
  );
  return changes;
}
