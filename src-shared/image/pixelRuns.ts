/**
 * Runs of equal pixels: how the engine sends the planes of a character's setup (the mask, the
 * part map, a flat plate and its alpha) to the client. Those planes are a few long runs (a cut-out
 * drawing's plate is one colour, its mask and part map are flat outside the character), and at
 * 512² they weigh 1.5 MB raw: over the IPC pipe that is ~25 chunks and as many wake-ups of both
 * processes, 60–130 ms on a loaded 2-core machine. As runs they are a few kilobytes.
 *
 * A plane is either sent raw (a Uint8Array) or as `PixelRuns`; `packPixels` picks runs only when
 * they are much smaller (a photo's plate stays raw: encoding gives up once it cannot win).
 */

/** `lengths[r]` pixels of `channels` bytes each, equal to `values[r·channels … +channels)`. */
export interface PixelRuns {
  readonly channels: number;
  /** Total pixels (the sum of `lengths`). */
  readonly pixels: number;
  readonly lengths: Uint32Array;
  readonly values: Uint8Array;
}

/** A plane as it crosses the engine boundary: its raw bytes, or its runs. */
export type PackedPixels = Uint8Array | PixelRuns;

/** Runs are sent only when they take at most this fraction of the raw bytes. */
const WORTH = 1 / 8;

/**
 * The runs of `bytes` (`channels` interleaved bytes per pixel), or undefined when they would take
 * more than `maxBytes` (encoding stops there: a photo costs one partial pass, not a wasted copy).
 */
export function encodeRuns(
  bytes: Uint8Array,
  channels: number,
  maxBytes = Infinity,
): PixelRuns | undefined {
  if (!Number.isInteger(channels) || channels < 1 || bytes.length % channels !== 0)
    throw new RangeError(`${bytes.length} bytes are not whole pixels of ${channels} channels`);
  const pixels = bytes.length / channels;
  const maxRuns = Math.min(pixels, Math.floor(maxBytes / (4 + channels)));
  if (pixels === 0) return { channels, pixels, lengths: new Uint32Array(0), values: bytes.slice() };
  if (maxRuns < 1) return undefined;
  // Run starts (pixel indices), filled as found; a run ends where the next starts.
  const starts = new Uint32Array(maxRuns);
  const runs = runStarts(bytes, channels, starts);
  if (runs < 0) return undefined;
  const lengths = new Uint32Array(runs);
  const values = new Uint8Array(runs * channels);
  for (let r = 0; r < runs; r++) {
    const start = starts[r]!;
    lengths[r] = (r + 1 < runs ? starts[r + 1]! : pixels) - start;
    values.set(bytes.subarray(start * channels, (start + 1) * channels), r * channels);
  }
  return { channels, pixels, lengths, values };
}

/**
 * Fills `starts` with the first pixel of each run (starts[0] = 0) and returns how many runs there
 * are, or −1 once there are more than `starts` holds. One byte and three bytes (masks, plates) are
 * compared without an inner loop: this runs on every setup, most of it before V8 optimises it.
 */
function runStarts(bytes: Uint8Array, channels: number, starts: Uint32Array): number {
  const pixels = bytes.length / channels;
  const max = starts.length;
  let runs = 1;
  if (channels === 1) {
    for (let p = 1; p < pixels; p++) {
      if (bytes[p] === bytes[p - 1]) continue;
      if (runs === max) return -1;
      starts[runs++] = p;
    }
    return runs;
  }
  if (channels === 3) {
    for (let p = 1, o = 3; p < pixels; p++, o += 3) {
      if (
        bytes[o] === bytes[o - 3] &&
        bytes[o + 1] === bytes[o - 2] &&
        bytes[o + 2] === bytes[o - 1]
      )
        continue;
      if (runs === max) return -1;
      starts[runs++] = p;
    }
    return runs;
  }
  for (let p = 1, o = channels; p < pixels; p++, o += channels) {
    let same = true;
    for (let c = 0; c < channels; c++)
      if (bytes[o + c] !== bytes[o - channels + c]) {
        same = false;
        break;
      }
    if (same) continue;
    if (runs === max) return -1;
    starts[runs++] = p;
  }
  return runs;
}

/** The pixels back from their runs; a RangeError when the runs do not add up (a hostile answer). */
export function decodeRuns(runs: PixelRuns): Uint8Array {
  const { channels, pixels, lengths, values } = runs;
  if (!Number.isInteger(channels) || channels < 1 || channels > 16)
    throw new RangeError(`runs of ${channels} channels`);
  if (!Number.isSafeInteger(pixels) || pixels < 0) throw new RangeError(`runs of ${pixels} pixels`);
  if (values.length !== lengths.length * channels)
    throw new RangeError(
      `${lengths.length} runs carry ${values.length} values, not ${channels} each`,
    );
  // Checked before allocating: the lengths must add up to `pixels` exactly.
  let total = 0;
  for (let r = 0; r < lengths.length; r++) total += lengths[r]!;
  if (total !== pixels) throw new RangeError(`runs cover ${total} pixels, not ${pixels}`);
  const out = new Uint8Array(pixels * channels);
  let o = 0;
  for (let r = 0; r < lengths.length; r++) {
    const n = lengths[r]!;
    const v = r * channels;
    if (channels === 1) {
      out.fill(values[v]!, o, o + n);
      o += n;
      continue;
    }
    for (let p = 0; p < n; p++, o += channels)
      for (let c = 0; c < channels; c++) out[o + c] = values[v + c]!;
  }
  return out;
}

/** `bytes` as runs when they are much smaller, else as they are. */
export function packPixels(bytes: Uint8Array, channels: number): PackedPixels {
  return encodeRuns(bytes, channels, bytes.length * WORTH) ?? bytes;
}

/** The plane of `pixels` pixels × `channels` bytes, whichever way it was sent. */
export function unpackPixels(packed: PackedPixels, channels: number, pixels: number): Uint8Array {
  // Sizes checked before decoding: hostile runs must not make the client allocate gigabytes.
  if (!(packed instanceof Uint8Array) && (packed.channels !== channels || packed.pixels !== pixels))
    throw new RangeError(
      `runs of ${packed.pixels} pixels × ${packed.channels} where ${pixels} × ${channels} were expected`,
    );
  const bytes = packed instanceof Uint8Array ? packed : decodeRuns(packed);
  if (bytes.length !== pixels * channels)
    throw new RangeError(
      `${bytes.length} bytes where ${pixels} pixels × ${channels} were expected`,
    );
  return bytes;
}
