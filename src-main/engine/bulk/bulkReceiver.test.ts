import { describe, expect, it } from 'vitest';
import { BULK_MIN_BYTES, bulkPlaceholders, restoreBulk, splitBulk } from './bulkMessages';
import { BulkReceiver } from './bulkReceiver';

/** A receiver recording what it delivers and why it failed. */
function receiver() {
  const got: unknown[] = [];
  const failures: string[] = [];
  const r = new BulkReceiver(
    (m) => got.push(m),
    (why) => failures.push(why),
  );
  return { r, got, failures };
}

/** What the engine sends for `message`: the message with placeholders, then the bytes. */
function sent(message: unknown) {
  const { message: rest, bytes } = splitBulk(message);
  return { rest, bytes: Buffer.concat(bytes.map((b) => Buffer.from(b))) };
}

const big = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * seed) % 251);

describe('bulk bytes beside engine messages', () => {
  it('moves large arrays of every type out and back, keeping small ones and other values inline', () => {
    const frame = big(BULK_MIN_BYTES + 3, 7);
    const floats = Float32Array.from({ length: BULK_MIN_BYTES / 4 }, (_, i) => i / 3);
    const small = new Uint8Array([1, 2, 3]);
    const message = {
      id: 4,
      ok: true,
      result: { frames: [{ box: [1, 2, 3, 4], data: frame, alpha: small }], floats },
      when: new Date(0),
    };
    const { rest, bytes } = sent(message);
    expect(bytes.length).toBe(frame.byteLength + floats.byteLength);
    const kept = rest as typeof message;
    expect(kept.result.frames[0]!.data).toEqual({
      __bulkArray: 'Uint8Array',
      byteLength: frame.byteLength,
    });
    expect(kept.result.frames[0]!.alpha).toBe(small);
    const { r, got, failures } = receiver();
    r.message(rest);
    expect(got).toHaveLength(0); // waits for its bytes
    r.bytes(bytes.subarray(0, 1000));
    r.bytes(bytes.subarray(1000));
    expect(failures).toEqual([]);
    expect(got).toEqual([message]);
    const back = got[0] as typeof message;
    expect(back.result.floats).toBeInstanceOf(Float32Array);
    expect(back.when).toBeInstanceOf(Date);
    expect(r.pendingBytes).toBe(0);
  });

  it('takes bytes that arrive before their message, and delivers messages in their order', () => {
    const a = sent({ id: 1, data: big(BULK_MIN_BYTES * 3, 3) });
    const b = sent({ id: 2, note: 'no arrays' });
    const c = sent({ id: 3, data: big(BULK_MIN_BYTES, 5) });
    const { r, got } = receiver();
    r.bytes(Buffer.concat([a.bytes, c.bytes]).subarray(0, 10));
    r.message(a.rest);
    r.message(b.rest);
    r.message(c.rest);
    expect(got).toHaveLength(0);
    // One byte at a time across both arrays' boundary.
    const rest = Buffer.concat([a.bytes, c.bytes]).subarray(10);
    for (let i = 0; i < rest.length; i += 4093) r.bytes(rest.subarray(i, i + 4093));
    expect(got.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
    expect((got[2] as { data: Uint8Array }).data).toEqual(big(BULK_MIN_BYTES, 5));
  });

  it('gives each array its own buffer: a received frame does not share or alias the pipe chunks', () => {
    const { rest, bytes } = sent({ data: big(BULK_MIN_BYTES, 11) });
    const { r, got } = receiver();
    r.message(rest);
    const chunk = Buffer.from(bytes);
    r.bytes(chunk);
    chunk.fill(0);
    const data = (got[0] as { data: Uint8Array }).data;
    expect(data.byteOffset).toBe(0);
    expect(data.buffer.byteLength).toBe(BULK_MIN_BYTES);
    expect(data).toEqual(big(BULK_MIN_BYTES, 11));
  });

  it('fails once, and delivers nothing more, on a placeholder that cannot be honoured', () => {
    const bad = [
      { __bulkArray: 'Uint8Array', byteLength: Number.NaN },
      { __bulkArray: 'Uint8Array', byteLength: -1 },
      { __bulkArray: 'Uint8Array', byteLength: 1e308 },
      { __bulkArray: 'Uint8Array', byteLength: 2 ** 31 + 1 },
      { __bulkArray: 'Float32Array', byteLength: 6 },
      { __bulkArray: 'Uint8Array', byteLength: '100' },
      { __bulkArray: 'BigInt64Array', byteLength: 8 },
      { __bulkArray: 'constructor', byteLength: 8 },
      { __bulkArray: null, byteLength: 8 },
    ];
    for (const placeholder of bad) {
      const { r, got, failures } = receiver();
      r.message({ id: 1, result: { data: placeholder } });
      r.message({ id: 2 });
      r.bytes(new Uint8Array(100));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/bulk-bytes protocol/);
      expect(got).toEqual([]);
    }
  });

  it('holds a message whose bytes never come (the engine killed midway) without delivering it', () => {
    const { rest, bytes } = sent({ id: 9, data: big(BULK_MIN_BYTES * 2) });
    const { r, got, failures } = receiver();
    r.message(rest);
    r.bytes(bytes.subarray(0, bytes.length - 1));
    expect(got).toEqual([]);
    expect(failures).toEqual([]);
    expect(r.pendingBytes).toBe(bytes.length - 1);
  });

  it('sends a message without large arrays as the same object (nothing copied)', () => {
    const m = { id: 1, result: { poses: [[1, 2, 3]], small: new Uint8Array(10) } };
    const { message, bytes } = splitBulk(m);
    expect(message).toBe(m);
    expect(bytes).toEqual([]);
  });

  it('leaves messages without placeholders alone, and ignores look-alikes inside arrays', () => {
    const m = { id: 1, list: [{ byteLength: 5 }], map: new Map([['__bulkArray', 1]]) };
    expect(bulkPlaceholders(m)).toEqual([]);
    expect(restoreBulk(m, [])).toEqual(m);
    const { r, got } = receiver();
    r.message(m);
    expect(got[0]).toBe(m);
  });

  it('does not recurse without end into a deep message', () => {
    let deep: unknown = big(BULK_MIN_BYTES);
    for (let i = 0; i < 100; i++) deep = { next: deep };
    const { message, bytes } = splitBulk(deep);
    expect(bytes).toHaveLength(0); // past 32 levels an array stays inline
    expect(bulkPlaceholders(message)).toEqual([]);
  });
});
