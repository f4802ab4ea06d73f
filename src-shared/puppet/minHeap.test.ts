import { describe, expect, it } from 'vitest';
import { MinHeap } from './minHeap';

describe('MinHeap', () => {
  it('pops payloads by increasing key, growing past its first capacity', () => {
    const heap = new MinHeap();
    const keys = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 3001) / 10);
    keys.forEach((k, i) => heap.push(k, i));
    const popped: number[] = [];
    while (heap.size > 0) {
      const i = heap.pop();
      expect(heap.topKey).toBe(keys[i]);
      popped.push(heap.topKey);
    }
    expect(popped).toEqual([...keys].sort((a, b) => a - b));
  });
});
