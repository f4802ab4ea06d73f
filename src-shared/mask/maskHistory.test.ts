import { describe, expect, it } from 'vitest';
import { emptyHistory, record, redoMask, stepLimit, undoMask } from './maskHistory';

describe('mask history', () => {
  it('undoes and redoes whole masks in order', () => {
    const a = Uint8Array.of(0, 0);
    const b = Uint8Array.of(1, 0);
    const c = Uint8Array.of(1, 1);
    let h = record(emptyHistory(), 'paint', a); // a → b
    h = record(h, 'Auto', b); // b → c
    const u1 = undoMask(h, c)!;
    expect(u1.mask).toBe(b);
    expect(u1.label).toBe('Auto');
    const u2 = undoMask(u1.history, u1.mask)!;
    expect(u2.mask).toBe(a);
    expect(undoMask(u2.history, u2.mask)).toBeNull();
    const r1 = redoMask(u2.history, u2.mask)!;
    expect(r1.mask).toBe(b);
    const r2 = redoMask(r1.history, r1.mask)!;
    expect(r2.mask).toBe(c);
    expect(redoMask(r2.history, r2.mask)).toBeNull();
  });

  it('a new edit drops the redo steps', () => {
    const a = Uint8Array.of(0);
    const b = Uint8Array.of(1);
    const u = undoMask(record(emptyHistory(), 'paint', a), b)!;
    expect(record(u.history, 'erase', u.mask).future).toEqual([]);
  });

  it('keeps fewer steps of a big mask, never fewer than two', () => {
    expect(stepLimit(4096 * 4096)).toBe(16);
    expect(stepLimit(1e12)).toBe(2);
    let h = emptyHistory();
    for (let i = 0; i < 40; i++) h = record(h, `s${i}`, new Uint8Array(10));
    expect(h.past.length).toBe(40);
    let big = emptyHistory();
    for (let i = 0; i < 5; i++) big = record(big, `s${i}`, new Uint8Array(200 * 1024 * 1024));
    expect(big.past.map((s) => s.label)).toEqual(['s3', 's4']);
  });
});
