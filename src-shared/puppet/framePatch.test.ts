import { describe, expect, it } from 'vitest';
import { applyFramePatch } from './framePatch';

const W = 7;
const H = 5;
function plate(): Uint8Array {
  return Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256);
}

describe('frame patches over the background plate', () => {
  it('carries the drawn box only and rebuilds the frame exactly, leaving the plate as it was', () => {
    const p = plate();
    const frame = new Uint8Array(p);
    // Drawn into x 2..4, y 1..3.
    for (let y = 1; y < 4; y++) for (let x = 2; x < 5; x++) frame[(y * W + x) * 3 + 1] = 7 * x + y;
    const data = new Uint8Array(3 * 3 * 3);
    for (let y = 1; y < 4; y++)
      data.set(frame.subarray((y * W + 2) * 3, (y * W + 5) * 3), (y - 1) * 3 * 3);
    const patch = {
      width: W,
      height: H,
      box: [2, 1, 5, 4] as [number, number, number, number],
      data,
    };
    const back = applyFramePatch(patch, p);
    expect(Buffer.from(back.data).equals(Buffer.from(frame))).toBe(true);
    expect(Buffer.from(p).equals(Buffer.from(plate()))).toBe(true);
  });

  it('takes a box of the whole frame, and an empty box gives the plate (and its alpha)', () => {
    const p = plate();
    const frame = p.map((v) => 255 - v);
    const full = { width: W, height: H, box: [0, 0, W, H] as [number, number, number, number] };
    expect(
      Buffer.from(applyFramePatch({ ...full, data: frame }, p).data).equals(Buffer.from(frame)),
    ).toBe(true);
    const none = { width: W, height: H, box: [0, 0, 0, 0] as [number, number, number, number] };
    const plateAlpha = new Uint8Array(W * H).fill(9);
    const back = applyFramePatch({ ...none, data: new Uint8Array(0) }, p, plateAlpha);
    expect(Buffer.from(back.data).equals(Buffer.from(p))).toBe(true);
    expect(back.alpha).toEqual(plateAlpha);
  });

  it('refuses patches that do not fit their frame', () => {
    const p = plate();
    const ok = { width: W, height: H, box: [1, 1, 3, 2] as [number, number, number, number] };
    expect(() => applyFramePatch({ ...ok, data: new Uint8Array(5) }, p)).toThrow(/does not match/);
    expect(() =>
      applyFramePatch({ ...ok, box: [5, 0, 9, 1], data: new Uint8Array(12) }, p),
    ).toThrow(/outside/);
    expect(() => applyFramePatch({ ...ok, width: 8, data: new Uint8Array(6) }, p)).toThrow(
      /another size/,
    );
  });
});
