import { describe, expect, it } from 'vitest';
import { OrderingBarrier } from './barrier';

describe('OrderingBarrier', () => {
  it('releases items in index order whatever order they arrive in', () => {
    const b = new OrderingBarrier<string>(3);
    expect(b.push(5, 'f')).toEqual([]);
    expect(b.push(4, 'e')).toEqual([]);
    expect(b.held).toBe(2);
    expect(b.push(3, 'd')).toEqual(['d', 'e', 'f']);
    expect(b.next).toBe(6);
    expect(b.held).toBe(0);
  });

  it('rejects duplicates', () => {
    const b = new OrderingBarrier<number>();
    b.push(0, 0);
    expect(() => b.push(0, 0)).toThrow(/twice/);
  });
});
