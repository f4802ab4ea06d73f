import { describe, expect, it } from 'vitest';
import { applyFramePatch, boxPatch } from './framePatch';

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
    const patch = boxPatch({ width: W, height: H, data: frame }, [2, 1, 5, 4]);
    expect(patch.data.length).toBe(3 * 3 * 3);
    const back = applyFramePatch(patch, p);
    expect(Buffer.from(back.data).equals(Buffer.from(frame))).toBe(true);
    expect(Buffer.from(p).equals(Buffer.from(plate()))).toBe(true);
  });

  it('clamps a box reaching past the frame, and an empty box gives the plate', () => {
    const p = plate();
    const frame = p.map((v) => 255 - v);
    const full = boxPatch({ width: W, height: H, data: frame }, [-3, -1, W + 4, H + 2]);
    expect(full.box).toEqual([0, 0, W, H]);
    expect(Buffer.from(applyFramePatch(full, p).data).equals(Buffer.from(frame))).toBe(true);
    const none = boxPatch({ width: W, height: H, data: frame }, [0, 0, 0, 0]);
    expect(none.data.length).toBe(0);
    expect(Buffer.from(applyFramePatch(none, p).data).equals(Buffer.from(p))).toBe(true);
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
