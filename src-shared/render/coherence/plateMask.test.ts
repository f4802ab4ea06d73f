import { describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { CoherenceMeter } from './coherenceMeter';
import { summarizeCoherence, coherenceLine } from './summary';

const W = 64;
const H = 48;

/** A textured background plate (not flat: the mask must come from the plate, not a colour key). */
function plate(): Uint8Array {
  const d = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) d.set([(i * 7) % 256, (i * 13) % 256, 90], i * 3);
  return d;
}

/** The plate with a solid square of `colour` at (x, y), `side` pixels a side: the "character". */
function frameWith(x: number, y: number, side: number, colour: [number, number, number]): RgbImage {
  const data = plate();
  for (let v = y; v < y + side; v++)
    for (let u = x; u < x + side; u++) data.set(colour, (v * W + u) * 3);
  return { width: W, height: H, data };
}

describe('coherence report: character mask from the background plate', () => {
  it('measures a moving character of constant colour as no drift, and a recoloured one as drift', () => {
    const still = new CoherenceMeter({ plate: plate() });
    // The square moves and changes size: its mean colour does not, nor does the background's.
    still.add(frameWith(4, 4, 16, [200, 30, 30]));
    still.add(frameWith(30, 10, 24, [200, 30, 30]));
    still.add(frameWith(10, 20, 8, [200, 30, 30]));
    const r = still.report();
    expect(r.drift.region).toBe('mask');
    expect(r.drift.character.max).toBeCloseTo(0, 6);
    // The background's mean changes as the square uncovers other plate pixels, but only the
    // character is the generator's: it is exact here.
    const recoloured = new CoherenceMeter({ plate: plate() });
    recoloured.add(frameWith(4, 4, 16, [200, 30, 30]));
    recoloured.add(frameWith(30, 10, 24, [200, 60, 30]));
    expect(recoloured.report().drift.character.final).toBeGreaterThan(5);
  });

  it('reports no character (not NaN) on frames equal to the plate', () => {
    const m = new CoherenceMeter({ plate: plate() });
    m.add({ width: W, height: H, data: plate() });
    m.add({ width: W, height: H, data: plate() });
    const r = m.report();
    expect(r.drift.character.referenceFrame).toBeNull();
    expect(r.drift.background!.final).toBe(0);
  });

  it('refuses a plate of another size, naming both sizes', () => {
    const m = new CoherenceMeter({ plate: new Uint8Array(10) });
    expect(() => m.add(frameWith(0, 0, 4, [1, 2, 3]))).toThrow(/plate has 10 bytes.*64×48/);
  });
});

describe('coherence summary line', () => {
  it('names the flagged boundaries by their frame in the video', () => {
    const frames = Array.from({ length: 30 }, (_, t) =>
      frameWith(t, 4, 8, [t >= 20 ? 250 : 100, 30, 30]),
    );
    const m = new CoherenceMeter({ boundaries: [10, 20], plate: plate() });
    for (const f of frames) m.add(f);
    const s = summarizeCoherence(m.report());
    expect(s.flaggedFrames).toEqual([20]);
    expect(coherenceLine(s, 100)).toMatch(
      /^coherence: seams \d+\.\d\d \(1 of 2 flagged: frame 120\), flicker \d\.\d\d, colour drift ΔE \d+\.\d\d character \/ \d\.\d\d background$/,
    );
  });
});
