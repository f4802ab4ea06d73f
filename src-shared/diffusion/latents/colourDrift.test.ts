import { describe, expect, it } from 'vitest';
import { colourDrift, colourStats, correctColourDrift, meanLab } from './colourDrift';

function image(f: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8Array(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) data.set(f(x, y), (y * 16 + x) * 3);
  return { width: 16, height: 16, data };
}

describe('colour drift', () => {
  const reference = image((x, y) => [100 + 4 * x, 80 + 3 * y, 120]);
  const tinted = image((x, y) => [130 + 2 * x, 80 + 3 * y, 100]);

  it('Lab of white and mid grey', () => {
    const white = meanLab({ mean: [255, 255, 255], std: [0, 0, 0] });
    expect(white[0]).toBeCloseTo(100, 1);
    expect(Math.abs(white[1])).toBeLessThan(0.1);
    expect(meanLab({ mean: [119, 119, 119], std: [0, 0, 0] })[0]).toBeCloseTo(50, 0);
  });

  it('correction brings a tinted frame back to the reference colours and measures it', () => {
    const target = colourStats(reference);
    const before = colourDrift(colourStats(tinted), target);
    const corrected = correctColourDrift(tinted, target);
    const after = colourDrift(colourStats(corrected), target);
    expect(before).toBeGreaterThan(10);
    expect(after).toBeLessThan(0.5);
    const s = colourStats(corrected);
    s.mean.forEach((m, c) => expect(m).toBeCloseTo(target.mean[c]!, 0));
    expect(colourDrift(target, target)).toBe(0);
  });

  it('strength 0 leaves the frame alone', () => {
    expect(Array.from(correctColourDrift(tinted, colourStats(reference), 0).data)).toEqual(
      Array.from(tinted.data),
    );
  });
});
