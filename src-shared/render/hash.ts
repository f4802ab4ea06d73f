/**
 * A small, fast, pure 128-bit content hash for the render cache (src-shared may not use
 * node:crypto). Not cryptographic: it only has to make accidental collisions between two
 * different segment inputs astronomically unlikely, and be cheap enough to hash the poses of
 * 30,000 frames in a few tens of milliseconds.
 *
 * Four 32-bit lanes with different multipliers each absorb every 32-bit word (a murmur3-style
 * mix), and a final avalanche folds the lanes together. Values are framed with a type tag and a
 * length so that `("ab", "c")` and `("a", "bc")` hash differently.
 */

const P = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f] as const;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TAG = { string: 1, number: 2, bytes: 3, floats: 4, hash: 5, bool: 6 } as const;

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const encoder = new TextEncoder();

export class ContentHasher {
  private a = 0x6a09e667;
  private b = 0xbb67ae85;
  private c = 0x3c6ef372;
  private d = 0xa54ff53a;
  private words = 0;

  private word(w: number): void {
    this.a = Math.imul(rotl(this.a ^ w, 13), P[0]) + 0x52dce729;
    this.b = Math.imul(rotl(this.b ^ w, 15), P[1]) + 0x38495ab5;
    this.c = Math.imul(rotl(this.c ^ w, 17), P[2]) + 0x1b873593;
    this.d = Math.imul(rotl(this.d ^ w, 19), P[3]) + 0x4cf5ad43;
    this.words++;
  }

  /** Absorbs 32-bit words of a typed array; the tail bytes (if any) are packed into one word. */
  private words32(view: Uint32Array): void {
    for (let i = 0; i < view.length; i++) this.word(view[i]!);
  }

  string(s: string): this {
    const bytes = encoder.encode(s);
    this.word(TAG.string);
    return this.rawBytes(bytes);
  }

  number(n: number): this {
    this.word(TAG.number);
    f64[0] = n;
    this.word(f64Words[0]!);
    this.word(f64Words[1]!);
    return this;
  }

  bool(v: boolean): this {
    this.word(TAG.bool);
    this.word(v ? 1 : 0);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    this.word(TAG.bytes);
    return this.rawBytes(bytes);
  }

  /** Hashes the exact bit patterns of the numbers (so -0 and 0 differ; NaNs by payload). */
  floats(values: Float64Array): this {
    this.word(TAG.floats);
    this.word(values.length);
    if (values.byteOffset % 4 === 0) {
      this.words32(new Uint32Array(values.buffer, values.byteOffset, values.length * 2));
    } else {
      for (let i = 0; i < values.length; i++) this.number(values[i]!);
    }
    return this;
  }

  /** Folds in another hash (e.g. a dependency's), keeping the dependency order significant. */
  hash(hex: string): this {
    this.word(TAG.hash);
    return this.string(hex);
  }

  /** Any JSON-like value, with object keys sorted so key order never changes the hash. */
  json(value: unknown): this {
    if (value === null || value === undefined) return this.string(String(value));
    if (typeof value === 'number') return this.number(value);
    if (typeof value === 'boolean') return this.bool(value);
    if (typeof value === 'string') return this.string(value);
    if (value instanceof Float64Array) return this.floats(value);
    if (value instanceof Uint8Array) return this.bytes(value);
    if (Array.isArray(value)) {
      this.string('[');
      this.word(value.length);
      for (const v of value) this.json(v);
      return this.string(']');
    }
    if (typeof value === 'object') {
      const keys = Object.keys(value as object).sort();
      this.string('{');
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        this.string(k).json(v);
      }
      return this.string('}');
    }
    throw new TypeError(`cannot hash a ${typeof value}`);
  }

  private rawBytes(bytes: Uint8Array): this {
    this.word(bytes.length);
    const whole = bytes.length >>> 2;
    if (bytes.byteOffset % 4 === 0 && whole > 0) {
      this.words32(new Uint32Array(bytes.buffer, bytes.byteOffset, whole));
    } else {
      for (let i = 0; i < whole; i++) {
        const o = i * 4;
        this.word(bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24));
      }
    }
    let tail = 0;
    for (let i = whole * 4; i < bytes.length; i++) tail = (tail << 8) | bytes[i]!;
    if (bytes.length % 4) this.word(tail);
    return this;
  }

  /** 32 hex digits. The hasher can keep absorbing afterwards (digest does not reset it). */
  digest(): string {
    let { a, b, c, d } = this;
    const n = this.words;
    a ^= n;
    b ^= n;
    c ^= n;
    d ^= n;
    a = (a + b + c + d) | 0;
    b = (b + a) | 0;
    c = (c + a) | 0;
    d = (d + a) | 0;
    a = fmix(a);
    b = fmix(b);
    c = fmix(c);
    d = fmix(d);
    a = (a + b + c + d) | 0;
    b = (b + a) | 0;
    c = (c + a) | 0;
    d = (d + a) | 0;
    return [a, b, c, d].map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

export function hashOf(...values: unknown[]): string {
  const h = new ContentHasher();
  for (const v of values) h.json(v);
  return h.digest();
}
