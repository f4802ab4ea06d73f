import { promisify } from 'node:util';
import { deflateRaw, inflateRaw, constants } from 'node:zlib';
import type { RgbImage } from '#shared/image/rgbImage';
import type { Segment } from '#shared/render/plan';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/**
 * Lossless, compact storage of one segment's frames. Each frame is stored as its byte-wise
 * difference from the previous frame of the segment (the first from black), then deflated at
 * level 1. Puppet frames share most pixels with their neighbours (background, body parts that do
 * not move), so the difference is mostly zeros, which deflate packs small and fast. Compression
 * runs on libuv's thread pool, off the render loop.
 *
 * Layout: "PSSEG1\n" · u32 header length · header JSON · per frame (u32 length · deflated bytes).
 * A segment whose frames have an alpha plane says `alpha: true` in its header; each frame's bytes
 * are then its RGB followed by its alpha (W·H·4).
 */
const MAGIC = Buffer.from('PSSEG1\n');

export interface SegmentFileHeader {
  hash: string;
  start: number;
  end: number;
  width: number;
  height: number;
  frames: number;
  /** The frames carry an alpha plane (stored after each frame's RGB). */
  alpha?: true;
}

/** The header of a segment's file: the segment and its frames, whose count must fill it. */
export function segmentHeader(
  segment: Pick<Segment, 'index' | 'hash' | 'start' | 'end'>,
  frames: readonly RgbImage[],
): SegmentFileHeader {
  const first = frames[0];
  if (!first || frames.length !== segment.end - segment.start)
    throw new Error(
      `segment ${segment.index} should have ${segment.end - segment.start} frames, got ${frames.length}`,
    );
  return {
    hash: segment.hash,
    start: segment.start,
    end: segment.end,
    width: first.width,
    height: first.height,
    frames: frames.length,
    ...(first.alpha ? { alpha: true as const } : {}),
  };
}

/** A frame's stored bytes: its RGB, and its alpha after it when it has one. */
function frameBytes(frame: RgbImage): Uint8Array {
  if (!frame.alpha) return frame.data;
  const out = new Uint8Array(frame.data.length + frame.alpha.length);
  out.set(frame.data);
  out.set(frame.alpha, frame.data.length);
  return out;
}

const HIGH = 0x80808080;
const LOW = 0x7f7f7f7f;

/** Whole 32-bit words of a byte array; an unaligned one (frames cut from an IPC message often
 * are) is copied first, which costs far less than going byte by byte. */
function words(a: Uint8Array): Uint32Array {
  const aligned = a.byteOffset % 4 === 0 ? a : new Uint8Array(a);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

/**
 * Byte-wise (frame − prev) mod 256. Four bytes at a time in 32-bit words (SWAR: the high bit of
 * each byte is handled apart so no borrow crosses bytes) — a 512² frame in ~0.25 ms instead of
 * ~1 ms byte by byte, on the render's main thread for every frame it caches.
 */
export function delta(frame: Uint8Array, prev: Uint8Array | null): Uint8Array {
  if (!prev) return frame;
  const out = new Uint8Array(frame.length);
  const a = words(frame);
  const b = words(prev);
  const o = new Uint32Array(out.buffer, 0, out.length >>> 2);
  for (let w = 0; w < o.length; w++) {
    const x = a[w]!;
    const y = b[w]!;
    o[w] = ((x | HIGH) - (y & LOW)) ^ ((x ^ ~y) & HIGH);
  }
  for (let i = o.length * 4; i < frame.length; i++) out[i] = (frame[i]! - prev[i]!) & 255;
  return out;
}

/** Byte-wise (diff + prev) mod 256, in place when `diff` is 4-byte aligned; the inverse of `delta`. */
export function undelta(diff: Uint8Array, prev: Uint8Array | null): Uint8Array {
  if (!prev) return diff;
  // Summed into an aligned copy when `diff` is not aligned (it is changed in place otherwise).
  const target = diff.byteOffset % 4 === 0 ? diff : new Uint8Array(diff);
  const a = words(target);
  const b = words(prev);
  for (let w = 0; w < a.length; w++) {
    const x = a[w]!;
    const y = b[w]!;
    a[w] = ((x & LOW) + (y & LOW)) ^ ((x ^ y) & HIGH);
  }
  for (let i = a.length * 4; i < target.length; i++) target[i] = (target[i]! + prev[i]!) & 255;
  return target;
}

/**
 * Encodes a segment's frames as they arrive: each added frame starts compressing at once (on the
 * thread pool), so a segment whose frames come in batches is mostly encoded by the time its last
 * frame is rendered — the render worker waits less between segments.
 */
export class SegmentEncoder {
  private readonly frames: RgbImage[] = [];
  private readonly packed: Promise<Buffer>[] = [];
  private previous: Uint8Array | null = null;

  /** Frames added so far, in order (the same objects). */
  get added(): readonly RgbImage[] {
    return this.frames;
  }

  add(frame: RgbImage): void {
    const first = this.frames[0];
    if (first && (frame.width !== first.width || frame.height !== first.height))
      throw new Error(`frame ${this.frames.length} of the segment has another size`);
    if (frame.data.length !== frame.width * frame.height * 3)
      throw new Error(`frame ${this.frames.length} of the segment is not width × height RGB`);
    if (frame.alpha && frame.alpha.length !== frame.width * frame.height)
      throw new Error(
        `frame ${this.frames.length} of the segment has an alpha plane of another size`,
      );
    if (first && !first.alpha !== !frame.alpha)
      throw new Error(`frame ${this.frames.length} of the segment differs from the first in alpha`);
    // Aligned once (frames cut from an engine message usually are not), not once as the frame
    // and again as the next frame's predecessor.
    const bytes = frameBytes(frame);
    const data = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    const p = deflate(delta(data, this.previous), {
      level: 1,
      strategy: constants.Z_DEFAULT_STRATEGY,
    });
    p.catch(() => undefined); // an encoder dropped after a cancel must not leave a rejection unhandled
    this.packed.push(p);
    this.frames.push(frame);
    this.previous = data;
  }

  /** The segment file; the header must describe the frames added. */
  async finish(header: SegmentFileHeader): Promise<Buffer> {
    const first = this.frames[0];
    if (
      this.frames.length !== header.frames ||
      (first && (first.width !== header.width || first.height !== header.height))
    )
      throw new Error('segment header does not match its frames');
    const head = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length);
    const parts: Buffer[] = [MAGIC, len, head];
    for (const p of await Promise.all(this.packed)) {
      const l = Buffer.alloc(4);
      l.writeUInt32LE(p.length);
      parts.push(l, p);
    }
    return Buffer.concat(parts);
  }
}

export async function encodeSegment(
  header: SegmentFileHeader,
  frames: RgbImage[],
): Promise<Buffer> {
  if (frames.length !== header.frames) throw new Error('segment header does not match its frames');
  const encoder = new SegmentEncoder();
  frames.forEach((f, i) => {
    if (f.width !== header.width || f.height !== header.height)
      throw new Error(`frame ${header.start + i} has the wrong size`);
    encoder.add(f);
  });
  return encoder.finish(header);
}

export function readSegmentHeader(buf: Buffer): { header: SegmentFileHeader; offset: number } {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error('not a segment file');
  const hl = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + hl > buf.length) throw new Error('segment file is truncated');
  const header = JSON.parse(buf.subarray(start, start + hl).toString('utf8')) as SegmentFileHeader;
  return { header, offset: start + hl };
}

export async function decodeSegment(
  buf: Buffer,
): Promise<{ header: SegmentFileHeader; frames: RgbImage[] }> {
  const { header, offset } = readSegmentHeader(buf);
  const chunks: Buffer[] = [];
  let at = offset;
  for (let i = 0; i < header.frames; i++) {
    if (at + 4 > buf.length) throw new Error('segment file is truncated');
    const l = buf.readUInt32LE(at);
    if (at + 4 + l > buf.length) throw new Error('segment file is truncated');
    chunks.push(buf.subarray(at + 4, at + 4 + l));
    at += 4 + l;
  }
  if (at !== buf.length) throw new Error('segment file has trailing bytes');
  const raw = await Promise.all(chunks.map((c) => inflate(c)));
  const pixels = header.width * header.height;
  const size = pixels * (header.alpha ? 4 : 3);
  const frames: RgbImage[] = [];
  let prev: Uint8Array | null = null;
  for (const r of raw) {
    if (r.length !== size) throw new Error('segment frame has the wrong size');
    const data = undelta(new Uint8Array(r.buffer, r.byteOffset, r.length), prev);
    frames.push(
      header.alpha
        ? {
            width: header.width,
            height: header.height,
            data: data.subarray(0, pixels * 3),
            alpha: data.subarray(pixels * 3),
          }
        : { width: header.width, height: header.height, data },
    );
    prev = data;
  }
  return { header, frames };
}
