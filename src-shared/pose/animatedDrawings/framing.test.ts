import { describe, expect, it } from 'vitest';
import { emptyPoints, setPoint } from '../types';
import { frameCharacter, framePose } from './framing';

describe('framing a drawing on a square canvas', () => {
  it('fits texture and joints with the margin, centred, and maps poses with the same scale', () => {
    const pose = emptyPoints();
    setPoint(pose, 4, -100, 50); // a hand past the texture's left edge
    setPoint(pose, 7, 150, 300);
    const f = frameCharacter({ width: 200, height: 400 }, [pose], 512, 0.05);
    // box x −100…200, y 0…400 → 400 px tall → scale 460.8 / 400
    expect(f.height).toBe(Math.round(400 * (460.8 / 400)));
    expect(f.scaleY).toBeCloseTo(f.height / 400, 12);
    const framed = framePose(pose, f);
    const [x, y] = [framed[12]!, framed[13]!];
    expect(x).toBeGreaterThanOrEqual(512 * 0.05 - 1);
    expect(y).toBeGreaterThan(0);
    // The box's centre lands in the canvas centre (within the whole-pixel offset's rounding).
    const cx =
      ((50 + 0.5) * f.scaleX - 0.5 + f.left + ((-100 + 0.5) * f.scaleX - 0.5 + f.left)) / 2;
    expect(Math.abs((framePose(pose, f)[12]! + (200 * f.scaleX + f.left)) / 2 - 256)).toBeLessThan(
      1.5,
    );
    expect(Number.isFinite(cx)).toBe(true);
    expect(framed[2 * 3 + 2]).toBe(0); // a missing point stays missing
  });

  it('texture pixel centres map onto the resized texture pixel centres', () => {
    const f = frameCharacter({ width: 100, height: 100 }, [], 512, 0);
    expect(f.width).toBe(512);
    const p = emptyPoints();
    setPoint(p, 0, 0, 99);
    const q = framePose(p, f);
    expect(q[0]).toBeCloseTo(0.5 * 5.12 - 0.5, 12);
    expect(q[1]).toBeCloseTo(99.5 * 5.12 - 0.5, 12);
  });

  it('refuses a non-finite joint', () => {
    const p = emptyPoints();
    setPoint(p, 0, Number.NaN, 1);
    expect(() => frameCharacter({ width: 10, height: 10 }, [p])).toThrow(RangeError);
  });
});
