import { describe, expect, it } from 'vitest';
import { ContentHasher, hashOf } from './hash';

describe('ContentHasher', () => {
  it('is deterministic and 128-bit hex', () => {
    expect(hashOf('a', 1, [2, 3])).toBe(hashOf('a', 1, [2, 3]));
    expect(hashOf('a')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('frames values so concatenations differ', () => {
    expect(hashOf('ab', 'c')).not.toBe(hashOf('a', 'bc'));
    expect(hashOf([1, 2], [3])).not.toBe(hashOf([1], [2, 3]));
    expect(hashOf('1')).not.toBe(hashOf(1));
  });

  it('ignores object key order but not array order', () => {
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
    expect(hashOf([1, 2])).not.toBe(hashOf([2, 1]));
  });

  it('sees a one-bit change in a pose array', () => {
    const p = new Float64Array(408).map((_, i) => i * 1.5);
    const h1 = new ContentHasher().floats(p).digest();
    p[200] = p[200]! + 1e-9;
    expect(new ContentHasher().floats(p).digest()).not.toBe(h1);
  });

  it('has no collisions over many small inputs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) seen.add(hashOf(i));
    for (let i = 0; i < 5000; i++) seen.add(hashOf(`frame-${i}`));
    expect(seen.size).toBe(25000);
  });

  it('hashes unaligned byte views the same as aligned copies', () => {
    const buf = new Uint8Array(19).map((_, i) => i * 7);
    const view = buf.subarray(1, 18);
    expect(new ContentHasher().bytes(view).digest()).toBe(
      new ContentHasher().bytes(new Uint8Array(view)).digest(),
    );
  });
});
