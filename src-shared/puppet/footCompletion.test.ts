import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { completeFeet } from './footCompletion';

const W = 80;
const H = 100;
/** Knee above the ankle: a 30 px shin pointing down. */
const KNEE = [40, 40];
const ANKLE = [40, 70];
/** The shoe: a dark box from just behind the ankle forward (side view), 17 px long, 10 px high. */
const SHOE = { x0: 36, x1: 52, y0: 68, y1: 77 };

function pose(points: Partial<Record<number, number[]>>): Float64Array {
  const p = new Float64Array(24 * 3);
  for (const [k, xy] of Object.entries(points)) {
    p[Number(k) * 3] = xy![0]!;
    p[Number(k) * 3 + 1] = xy![1]!;
    p[Number(k) * 3 + 2] = 1;
  }
  return p;
}

/** Grass: greens with a little deterministic texture. */
function grassPicture(): Uint8Array {
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const n = ((i * 2654435761) >>> 0) % 21;
    rgba.set([60 + n, 130 + n, 50 + (n >> 1), 255], i * 4);
  }
  return rgba;
}

function paint(rgba: Uint8Array, box: typeof SHOE, rgb: number[]) {
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) rgba.set([...rgb, 255], (y * W + x) * 4);
}

/** A white trouser leg from the top to the ankle (the model's mask stops there). */
function legOnly(): { rgba: Uint8Array; mask: Uint8Array } {
  const rgba = grassPicture();
  const leg = { x0: 36, x1: 44, y0: 0, y1: 67 };
  paint(rgba, leg, [235, 235, 230]);
  paint(rgba, SHOE, [25, 25, 30]);
  const mask = new Uint8Array(W * H);
  for (let y = leg.y0; y <= leg.y1; y++) for (let x = leg.x0; x <= leg.x1; x++) mask[y * W + x] = 1;
  return { rgba, mask };
}

const inShoe = (i: number) => {
  const x = i % W;
  const y = Math.floor(i / W);
  return x >= SHOE.x0 && x <= SHOE.x1 && y >= SHOE.y0 && y <= SHOE.y1;
};

describe('completeFeet', () => {
  it('adds the dark shoe below the ankle on grass, and nothing else', () => {
    const { rgba, mask } = legOnly();
    const before = Uint8Array.from(mask);
    const { mask: out, added } = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE }),
    );
    expect(mask).toEqual(before);
    let shoe = 0;
    let got = 0;
    for (let i = 0; i < W * H; i++) {
      if (out[i] && !mask[i]) expect(inShoe(i), `pixel ${i % W},${Math.floor(i / W)}`).toBe(true);
      if (inShoe(i) && !mask[i]) {
        shoe++;
        if (out[i]) got++;
      }
    }
    expect(added).toBeGreaterThan(0);
    expect(got / shoe).toBeGreaterThan(0.95);
  });

  it('leaves a foot the model already found as it is', () => {
    const { rgba, mask } = legOnly();
    for (let i = 0; i < W * H; i++) if (inShoe(i)) mask[i] = 1;
    const { mask: out, added } = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE }),
    );
    expect(added).toBe(0);
    expect(out).toEqual(mask);
  });

  it('adds nothing where the ground beyond the ankle looks like the ground around it', () => {
    const { mask } = legOnly();
    const rgba = grassPicture();
    paint(rgba, { x0: 36, x1: 44, y0: 0, y1: 67 }, [235, 235, 230]);
    const { added } = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE }),
    );
    expect(added).toBe(0);
  });

  it('never adds a dark thing far from the foot, even touching the shoe', () => {
    const { rgba, mask } = legOnly();
    // A dark bag lying against the shoe's toe, reaching far away from the ankle.
    paint(rgba, { x0: 53, x1: 79, y0: 70, y1: 99 }, [25, 25, 30]);
    const { mask: out } = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE }),
    );
    for (let i = 0; i < W * H; i++) {
      if (!out[i] || mask[i]) continue;
      const d = Math.hypot((i % W) - ANKLE[0]!, Math.floor(i / W) - ANKLE[1]!);
      expect(d).toBeLessThanOrEqual(0.5 * 30 + 1);
    }
  });

  it('leaves the mask unchanged without a usable knee and ankle', () => {
    const { rgba, mask } = legOnly();
    const hostile = [
      pose({}),
      pose({ [Joint.lAnkle]: ANKLE }),
      pose({ [Joint.lKnee]: [NaN, 40], [Joint.lAnkle]: ANKLE }),
      pose({ [Joint.lKnee]: [40, -1e308], [Joint.lAnkle]: [40, 1e308] }),
      pose({ [Joint.lKnee]: ANKLE, [Joint.lAnkle]: ANKLE }),
      pose({ [Joint.lKnee]: [1e6, 1e6], [Joint.lAnkle]: [1e6, 1e6 + 30] }),
      new Float64Array(3),
    ];
    for (const p of hostile) {
      const { mask: out, added } = completeFeet(mask, rgba, W, H, p);
      expect(added).toBe(0);
      expect(out).toEqual(mask);
    }
  });

  it('follows the toe point when the pose has one, and ignores one too far to be a foot', () => {
    const { rgba, mask } = legOnly();
    // A longer shoe: the toe point reaches past the ankle disc.
    paint(rgba, { x0: 52, x1: 62, y0: 72, y1: 77 }, [25, 25, 30]);
    const near = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE, [Joint.lBigToe]: [61, 75] }),
    );
    const far = completeFeet(
      mask,
      rgba,
      W,
      H,
      pose({ [Joint.lKnee]: KNEE, [Joint.lAnkle]: ANKLE, [Joint.lBigToe]: [79, 99] }),
    );
    expect(near.mask[75 * W + 61]).toBe(1);
    expect(far.mask[75 * W + 61]).toBe(0);
  });

  it('makes up no foot where the mask has no leg (a model that found nobody)', () => {
    const { rgba } = legOnly();
    const empty = new Uint8Array(W * H);
    const { mask: out, added } = completeFeet(
      empty,
      rgba,
      W,
      H,
      pose({ [Joint.rKnee]: KNEE, [Joint.rAnkle]: ANKLE }),
    );
    expect(added).toBe(0);
    expect(out.some((v) => v !== 0)).toBe(false);
  });
});
