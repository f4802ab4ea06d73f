import { open } from 'node:fs/promises';
import { onnxProto } from '#native-models/onnxProto';
import { bufferFields, ProtoFileReader, type ProtoField } from './protoFileReader';

/** An input or output of a model: name, element type (ORT's names) and shape (symbolic dims as text). */
export interface TensorSignature {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

export interface ExternalDataRef {
  tensor: string;
  location: string;
  offset: number;
  length: number;
}

/** One node, reduced to what recognising a model needs (attributes are not read). */
export interface NodeSummary {
  opType: string;
  domain: string;
  name: string;
  inputs: readonly string[];
}

/** What a model file says about itself, read without loading its weights. */
export interface OnnxHeader {
  irVersion: number;
  producer: string;
  /** Operator set per domain ('' = ai.onnx). */
  opsets: ReadonlyMap<string, number>;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  nodes: NodeSummary[];
  /** Weight element types and how many values of each (float16 / float32 decides the precision). */
  weightTypes: ReadonlyMap<string, number>;
  externalData: ExternalDataRef[];
}

/** ONNX TensorProto.DataType → the names ONNX Runtime uses in its metadata. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};
export const elementTypeName = (t: number): string => ELEMENT_TYPES[t] ?? `type ${t}`;

const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';

/** True when the file is a Git LFS pointer (a clone without `git lfs pull`), not the real file. */
export async function isLfsPointer(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(LFS_POINTER.length);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return bytesRead === buf.length && buf.toString('latin1') === LFS_POINTER;
  } finally {
    await handle.close();
  }
}

export class NotAModelError extends Error {}

/**
 * Reads an ONNX model's header — opsets, inputs, outputs, nodes, weight types and external data
 * references — streaming the file and skipping weight bytes, so a multi-GB model with inline
 * weights costs a few MB of memory. Throws NotAModelError for LFS pointers, truncated or
 * non-ONNX files.
 */
export async function readOnnxHeader(path: string): Promise<OnnxHeader> {
  if (await isLfsPointer(path))
    throw new NotAModelError(
      'is a Git LFS pointer, not the model: run "git lfs pull" in the clone',
    );
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new NotAModelError('is empty');
    const reader = new ProtoFileReader(handle, size);
    const header: OnnxHeader = {
      irVersion: 0,
      producer: '',
      opsets: new Map(),
      inputs: [],
      outputs: [],
      nodes: [],
      weightTypes: new Map(),
      externalData: [],
    };
    let graphSeen = false;
    try {
      for await (const f of reader.fields(0, size)) {
        if (f.field === 1 && f.wire === 0) header.irVersion = Number(f.value);
        else if (f.field === 2 && f.wire === 2) header.producer = await reader.text(f);
        else if (f.field === 8 && f.wire === 2) {
          const set = onnxProto.OperatorSetIdProto.decode(await reader.bytes(f.start, f.length));
          (header.opsets as Map<string, number>).set(set.domain ?? '', Number(set.version ?? 0));
        } else if (f.field === 7 && f.wire === 2) {
          graphSeen = true;
          await readGraph(reader, f, header);
        }
      }
    } catch (cause) {
      throw new NotAModelError(`is not a complete ONNX model (${(cause as Error).message})`, {
        cause,
      });
    }
    if (!graphSeen || header.irVersion === 0)
      throw new NotAModelError('is not an ONNX model (no graph or IR version found)');
    return header;
  } finally {
    await handle.close();
  }
}

async function readGraph(reader: ProtoFileReader, graph: ProtoField, h: OnnxHeader) {
  const initializerNames = new Set<string>();
  const inputs: TensorSignature[] = [];
  const weightTypes = h.weightTypes as Map<string, number>;
  for await (const f of reader.fields(graph.start, graph.start + graph.length)) {
    if (f.wire !== 2) continue;
    if (f.field === 1) h.nodes.push(await readNode(reader, f));
    else if (f.field === 5) {
      const t = await readInitializer(reader, f);
      initializerNames.add(t.name);
      const type = elementTypeName(t.dataType);
      weightTypes.set(type, (weightTypes.get(type) ?? 0) + t.count);
      if (t.external) h.externalData.push(t.external);
    } else if (f.field === 11 || f.field === 12) {
      const v = onnxProto.ValueInfoProto.decode(await reader.bytes(f.start, f.length));
      const tensor = v.type?.tensorType;
      const sig: TensorSignature = {
        name: v.name ?? '',
        type: elementTypeName(tensor?.elemType ?? 0),
        shape: (tensor?.shape?.dim ?? []).map((d) =>
          d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : (d.dimParam ?? '?'),
        ),
      };
      (f.field === 11 ? inputs : h.outputs).push(sig);
    }
  }
  // IR < 4 lists initializers among the inputs; they are weights, not things to feed.
  h.inputs.push(...inputs.filter((i) => !initializerNames.has(i.name)));
}

async function readNode(reader: ProtoFileReader, f: ProtoField): Promise<NodeSummary> {
  const bytes = await reader.bytes(f.start, f.length);
  const text = (g: ProtoField) => utf8.decode(bytes.subarray(g.start, g.start + g.length));
  const node = { opType: '', domain: '', name: '', inputs: [] as string[] };
  for (const g of bufferFields(bytes)) {
    if (g.wire !== 2) continue;
    if (g.field === 1) node.inputs.push(text(g));
    else if (g.field === 3) node.name = text(g);
    else if (g.field === 4) node.opType = text(g);
    else if (g.field === 7) node.domain = text(g);
  }
  return node;
}

const utf8 = new TextDecoder();
/** Messages up to this size are parsed from one read (nodes, initializers without inline data). */
const SMALL_MESSAGE = 64 * 1024;

interface InitializerSummary {
  name: string;
  dataType: number;
  count: number;
  external: ExternalDataRef | null;
}

/** An initializer's name, type, element count and external-data entry; its bytes are skipped. */
async function readInitializer(
  reader: ProtoFileReader,
  f: ProtoField,
): Promise<InitializerSummary> {
  let name = '';
  let dataType = 0;
  let count = 1;
  let externalLocation = false;
  const entries = new Map<string, string>();
  // A small initializer is parsed from memory; a large one (inline weights) field by field from
  // the file, its raw bytes skipped.
  const small = f.length <= SMALL_MESSAGE ? await reader.bytes(f.start, f.length) : null;
  const fields = small ? bufferFields(small) : reader.fields(f.start, f.start + f.length);
  const bytesOf = async (g: ProtoField) =>
    small ? small.subarray(g.start, g.start + g.length) : reader.bytes(g.start, g.length);
  for await (const g of fields) {
    if (g.field === 1 && g.wire === 0) count *= Number(g.value);
    else if (g.field === 1 && g.wire === 2) {
      // packed dims
      const bytes = await bytesOf(g);
      let value = 0n;
      let shift = 0n;
      for (const byte of bytes) {
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
        if ((byte & 0x80) === 0) {
          count *= Number(value);
          value = 0n;
          shift = 0n;
        }
      }
    } else if (g.field === 2 && g.wire === 0) dataType = Number(g.value);
    else if (g.field === 8 && g.wire === 2) name = utf8.decode(await bytesOf(g));
    else if (g.field === 13 && g.wire === 2) {
      const e = onnxProto.StringStringEntryProto.decode(await bytesOf(g));
      entries.set(e.key ?? '', e.value ?? '');
    } else if (g.field === 14 && g.wire === 0)
      externalLocation = Number(g.value) === onnxProto.TensorProto.DataLocation.EXTERNAL;
  }
  const external = externalLocation
    ? {
        tensor: name,
        location: entries.get('location') ?? '',
        offset: Number(entries.get('offset') ?? 0),
        length: Number(entries.get('length') ?? 0),
      }
    : null;
  return { name, dataType, count, external };
}
