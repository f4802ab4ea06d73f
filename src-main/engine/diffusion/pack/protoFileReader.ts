import type { FileHandle } from 'node:fs/promises';

/** A protobuf field as it sits in the file: its number, wire type and where its payload is. */
export interface ProtoField {
  field: number;
  wire: number;
  /** Varint payload (wire type 0), else 0 (exact up to 2^53; ONNX sizes and enums fit). */
  value: number;
  /** Length-delimited payload (wire type 2): where it starts and how long it is. */
  start: number;
  length: number;
}

/** Read window: large enough that graphs parse in few reads, small beside any weight file. */
const WINDOW = 1 << 20;

/**
 * Walks protobuf fields of a file without reading it whole: length-delimited fields the caller
 * does not need (weights inside an initializer's raw_data) are skipped by position, so a model
 * of several GB with inline weights is inspected in a few MB of memory.
 */
export class ProtoFileReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Bytes [start, start + length) — for small messages only (a node, a value info). */
  async bytes(start: number, length: number): Promise<Uint8Array> {
    this.checkRange(start, length);
    if (start >= this.windowStart && start + length <= this.windowStart + this.window.length)
      return this.window.subarray(start - this.windowStart, start - this.windowStart + length);
    if (length > WINDOW) {
      const out = Buffer.alloc(length);
      await this.handle.read(out, 0, length, start);
      return out;
    }
    await this.load(start);
    return this.window.subarray(0, length);
  }

  /** Every field of the message that spans [start, end), in file order. */
  async *fields(start: number, end: number): AsyncGenerator<ProtoField> {
    this.checkRange(start, end - start);
    let at = start;
    while (at < end) {
      const [tag, afterTag] = await this.varint(at);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) throw new Error(`corrupt protobuf field at byte ${at}`);
      at = afterTag;
      if (wire === 0) {
        const [value, next] = await this.varint(at);
        yield { field, wire, value, start: at, length: next - at };
        at = next;
      } else if (wire === 2) {
        const [len, next] = await this.varint(at);
        const length = Number(len);
        if (next + length > end)
          throw new Error(
            `truncated: a field at byte ${at} runs ${length} bytes, past the end of its message at ${end}`,
          );
        yield { field, wire, value: 0, start: next, length };
        at = next + length;
      } else if (wire === 1 || wire === 5) {
        const length = wire === 1 ? 8 : 4;
        yield { field, wire, value: 0, start: at, length };
        at += length;
      } else throw new Error(`corrupt protobuf (wire type ${wire}) at byte ${at}`);
      if (at > end) throw new Error(`truncated: the message ends at byte ${end} mid-field`);
    }
  }

  /** A string field's text. */
  async text(f: ProtoField): Promise<string> {
    return Buffer.from(await this.bytes(f.start, f.length)).toString('utf8');
  }

  private async varint(at: number): Promise<[number, number]> {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at + i >= this.size) throw new Error('truncated: the file ends inside a field header');
      const byte = await this.byteAt(at + i);
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return [result, at + i + 1];
      scale *= 128;
    }
    throw new Error(`corrupt protobuf varint at byte ${at}`);
  }

  private async byteAt(pos: number): Promise<number> {
    if (pos < this.windowStart || pos >= this.windowStart + this.window.length)
      await this.load(pos);
    return this.window[pos - this.windowStart]!;
  }

  private async load(pos: number): Promise<void> {
    const length = Math.min(WINDOW, this.size - pos);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, pos);
    this.window = buf.subarray(0, bytesRead);
    this.windowStart = pos;
  }

  private checkRange(start: number, length: number): void {
    if (start < 0 || length < 0 || start + length > this.size)
      throw new Error(
        `truncated: needs bytes up to ${start + length} but the file has ${this.size}`,
      );
  }
}

/**
 * The fields of a message already in memory (a node, a small initializer header), synchronously:
 * a graph has thousands of nodes, and awaiting every byte of each would cost more than reading
 * the whole file. Offsets in the yielded fields are relative to `buf`.
 */
export function* bufferFields(buf: Uint8Array): Generator<ProtoField> {
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= buf.length) throw new Error('truncated: a message ends inside a field header');
      const byte = buf[at++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('corrupt protobuf varint');
  };
  while (at < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new Error('corrupt protobuf field');
    if (wire === 0) {
      const start = at;
      const value = varint();
      yield { field, wire, value, start, length: at - start };
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > buf.length) throw new Error('truncated: a field runs past its message');
      yield { field, wire, value: 0, start: at, length };
      at += length;
    } else if (wire === 1 || wire === 5) {
      const length = wire === 1 ? 8 : 4;
      if (at + length > buf.length) throw new Error('truncated: a field runs past its message');
      yield { field, wire, value: 0, start: at, length };
      at += length;
    } else throw new Error(`corrupt protobuf (wire type ${wire})`);
  }
}
