import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';

/**
 * Small editing kit shared by the graph rewrites: look-ups over a decoded graph, constants as
 * initializers, and dead-node removal. Weight data is never read here: every rewrite expresses
 * what it needs from an initializer (a bias slice, a reshaped gamma) as graph ops on it, so
 * initializers kept in external files stay where they are and ORT folds the constants at load.
 */
export const DataType = onnxProto.TensorProto.DataType;
export const AttrType = onnxProto.AttributeProto.AttributeType;

export class GraphIndex {
  readonly producer = new Map<string, onnx.INodeProto>();
  readonly consumers = new Map<string, onnx.INodeProto[]>();
  readonly initializers: Map<string, onnx.ITensorProto>;
  readonly graphOutputs: Set<string>;

  constructor(readonly graph: onnx.IGraphProto) {
    for (const n of graph.node ?? []) {
      for (const o of n.output ?? []) this.producer.set(o, n);
      for (const i of n.input ?? [])
        if (i !== '') this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
    }
    this.initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
    this.graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  }

  /** An initializer or the output of a Constant node: a value known before any input arrives. */
  isConstant(name: string): boolean {
    return this.initializers.has(name) || this.producer.get(name)?.opType === 'Constant';
  }

  private dynamic_: Set<string> | undefined;

  /**
   * Tensors that depend on the model's inputs other than through their shapes (one pass in
   * topological order; a Shape node's output is known once shapes are).
   */
  get dynamic(): Set<string> {
    if (this.dynamic_) return this.dynamic_;
    const dynamic = new Set(
      (this.graph.input ?? []).map((i) => i.name ?? '').filter((n) => !this.initializers.has(n)),
    );
    for (const n of this.graph.node ?? [])
      if (n.opType !== 'Shape' && (n.input ?? []).some((i) => dynamic.has(i)))
        for (const o of n.output ?? []) dynamic.add(o);
    this.dynamic_ = dynamic;
    return dynamic;
  }

  users(name: string): onnx.INodeProto[] {
    return this.consumers.get(name) ?? [];
  }
}

export function attr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function intAttr(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.i === undefined || a.i === null ? fallback : Number(a.i);
}

export function floatAttr(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.f === undefined || a.f === null ? fallback : Number(a.f);
}

export function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: AttrType.INT, i: value };
}

export function floatAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: AttrType.FLOAT, f: value };
}

export function intsAttribute(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: AttrType.INTS, ints: values };
}

/** The model's ai.onnx opset (the default domain). */
export function onnxOpset(model: onnx.IModelProto): number {
  const entry = model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? Number(entry.version) : 0;
}

/**
 * Decodes a model file's bytes; a truncated or foreign file gives an error naming it instead of
 * protobuf's "index out of range".
 */
export function decodeModel(bytes: Uint8Array, what: string): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnxProto.ModelProto.decode(bytes);
  } catch (cause) {
    throw new Error(
      `${what} is not a readable ONNX model (${(cause as Error).message}); the file may be truncated or not a model`,
      { cause },
    );
  }
  if (!model.graph || (model.graph.node ?? []).length === 0)
    throw new Error(
      `${what} is not an ONNX model with a graph; the file may be truncated or not a model`,
    );
  return model;
}

/** Adds an int64 initializer (once per name) and returns its name. */
export function int64Const(graph: onnx.IGraphProto, name: string, values: number[]): string {
  if (!(graph.initializer ?? []).some((t) => t.name === name))
    (graph.initializer ??= []).push({
      name,
      dims: [values.length],
      dataType: DataType.INT64,
      rawData: new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer),
    });
  return name;
}

/** Adds a float initializer of the given element type (float32 or float16 bits) and shape. */
export function floatConst(
  graph: onnx.IGraphProto,
  name: string,
  values: number[],
  dims: number[],
  elemType: number,
): string {
  if ((graph.initializer ?? []).some((t) => t.name === name)) return name;
  const raw =
    elemType === DataType.FLOAT16
      ? new Uint8Array(new Uint16Array(values.map(toHalfBits)).buffer)
      : new Uint8Array(new Float32Array(values).buffer);
  (graph.initializer ??= []).push({ name, dims, dataType: elemType, rawData: raw });
  return name;
}

/** IEEE half-precision bits of a float (round to nearest; enough for the constants used here). */
function toHalfBits(v: number): number {
  const f = new Float32Array([v]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | Math.round(mant / 0x2000);
}

/** Replaces `node` in place by `replacement` (keeps the topological position). */
export function replaceNode(
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  replacement: onnx.INodeProto[],
): void {
  const at = graph.node!.indexOf(node);
  if (at < 0) throw new Error(`node ${node.name} is not in the graph`);
  graph.node!.splice(at, 1, ...replacement);
}

/**
 * Removes nodes whose outputs nothing uses (after a rewrite cut them off), so a session does not
 * compute them: e.g. the std and noise branch of a VAE encoder once its output is the mean.
 */
export function removeDeadNodes(graph: onnx.IGraphProto): number {
  const needed = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const nodes = graph.node ?? [];
  const keep = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    keep[i] = true;
    for (const input of n.input ?? []) needed.add(input);
    for (const input of subgraphInputs(n)) needed.add(input);
  }
  const before = nodes.length;
  graph.node = nodes.filter((_, i) => keep[i]);
  const used = new Set(graph.node.flatMap((n) => [...(n.input ?? []), ...subgraphInputs(n)]));
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
  return before - graph.node.length;
}

/** Names an If/Loop body reads from the enclosing graph (its nodes' inputs). */
function subgraphInputs(n: onnx.INodeProto): string[] {
  const names: string[] = [];
  for (const a of n.attribute ?? [])
    for (const g of [a.g, ...(a.graphs ?? [])])
      if (g) for (const inner of g.node ?? []) names.push(...(inner.input ?? []));
  return names;
}

/** The values of an integer tensor (int64 or int32, in its typed field or raw bytes). */
export function tensorInts(t: onnx.ITensorProto): number[] {
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map(Number);
  if (t.int32Data && t.int32Data.length > 0) return t.int32Data.map(Number);
  const raw = t.rawData;
  if (!raw || raw.length === 0) return [];
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return t.dataType === DataType.INT32
    ? Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true))
    : Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

/** The values of a float32 or float64 tensor; [] for other types. */
export function tensorFloats(t: onnx.ITensorProto): number[] {
  if (t.floatData && t.floatData.length > 0) return [...t.floatData];
  if (t.doubleData && t.doubleData.length > 0) return [...t.doubleData];
  const raw = t.rawData;
  if (!raw || raw.length === 0) return [];
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (t.dataType === DataType.FLOAT)
    return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  if (t.dataType === DataType.DOUBLE)
    return Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
  return [];
}
