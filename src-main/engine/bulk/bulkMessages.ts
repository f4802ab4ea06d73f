/**
 * Large typed arrays in the engine's messages (puppet frames, a setup's planes) travel beside the
 * message, as raw bytes on a pipe of their own, instead of through Node's IPC serializer: sending
 * a 1.8 MB frame through `serialization: 'advanced'` cost the engine 6.3 ms of CPU, writing it to a
 * pipe 0.7 ms (docs/engine.md, "Bulk bytes"). The message keeps a placeholder where each array
 * was; the receiver puts arrays of the same type and bytes back, in the order they were written.
 */

/** Arrays at least this large go beside the message; smaller ones are cheaper to serialize. */
export const BULK_MIN_BYTES = 64 * 1024;

/** One array, 2 GiB at most: more than any frame or plane the engine makes. */
export const BULK_MAX_BYTES = 2 ** 31;

const TYPES = {
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
export type BulkType = keyof typeof TYPES;

/** What stands in a message for an array sent beside it (the key cannot clash with protocol data). */
export interface BulkPlaceholder {
  readonly __bulkArray: BulkType;
  readonly byteLength: number;
}

function bulkType(value: ArrayBufferView): BulkType | undefined {
  const name = value.constructor.name;
  return name in TYPES ? (name as BulkType) : undefined;
}

/** Messages are walked this deep at most (deeper values travel as they are). */
const MAX_DEPTH = 32;

/**
 * `value` with every node `replace` answers for replaced, walking plain objects and arrays (other
 * objects are leaves). Copied only where something inside was replaced: a message of plain
 * numbers (a pose list) comes back as the same object.
 */
function replaceIn(value: unknown, replace: (node: object) => unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) {
    const items = value.map((v) => replaceIn(v, replace, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [k, v] of Object.entries(value)) {
    out[k] = replaceIn(v, replace, depth + 1);
    changed ||= out[k] !== v;
  }
  return changed ? out : value;
}

const isPlainObject = (node: object) => Object.getPrototypeOf(node) === Object.prototype;

/**
 * The message with each large typed array (in plain objects and arrays) replaced by a placeholder,
 * and those arrays' bytes in the order the receiver reads them back. Copies nothing: the caller
 * must not change the arrays until they are written.
 */
export function splitBulk(message: unknown): { message: unknown; bytes: Uint8Array[] } {
  const bytes: Uint8Array[] = [];
  const out = replaceIn(message, (node) => {
    if (!ArrayBuffer.isView(node)) return undefined;
    const type = bulkType(node);
    if (!type || node.byteLength < BULK_MIN_BYTES || node.byteLength > BULK_MAX_BYTES) return node;
    bytes.push(new Uint8Array(node.buffer, node.byteOffset, node.byteLength));
    return { __bulkArray: type, byteLength: node.byteLength } satisfies BulkPlaceholder;
  });
  return { message: out, bytes };
}

export class BulkProtocolError extends Error {}

function placeholder(value: object): BulkPlaceholder | undefined {
  if (!isPlainObject(value) || !('__bulkArray' in value)) return undefined;
  const { __bulkArray: type, byteLength } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !Object.hasOwn(TYPES, type))
    throw new BulkProtocolError(`unknown bulk array type ${JSON.stringify(type)}`);
  const size = TYPES[type as BulkType].BYTES_PER_ELEMENT;
  if (
    typeof byteLength !== 'number' ||
    !Number.isInteger(byteLength) ||
    byteLength < 0 ||
    byteLength > BULK_MAX_BYTES ||
    byteLength % size !== 0
  )
    throw new BulkProtocolError(`bad bulk array length ${String(byteLength)} for ${type}`);
  return { __bulkArray: type as BulkType, byteLength };
}

/** The placeholders of a received message, in the order their bytes follow. Throws on a bad one. */
export function bulkPlaceholders(message: unknown): BulkPlaceholder[] {
  const found: BulkPlaceholder[] = [];
  replaceIn(message, (node) => {
    const p = placeholder(node);
    if (p) found.push(p);
    return p ? node : undefined;
  });
  return found;
}

/**
 * The message with its placeholders replaced by typed arrays over `buffers` (one ArrayBuffer per
 * placeholder, in bulkPlaceholders' order, each exactly its byteLength).
 */
export function restoreBulk(message: unknown, buffers: readonly ArrayBuffer[]): unknown {
  let next = 0;
  return replaceIn(message, (node) => {
    const p = placeholder(node);
    return p ? new TYPES[p.__bulkArray](buffers[next++]!) : undefined;
  });
}
