import { describe, expect, it } from 'vitest';
import { autoStickScale, handEdgeColor, renderConditioning, stickScaleFor } from './conditioning';
import { DiffusionParamsSchema } from '#shared/project/schema';
import { GOLDEN_CASES } from './raster/golden/goldenCases';
import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { BODY_LIMBS, Joint, LEFT_HAND, PALETTE, FACE } from './skeleton';
import { createPerson, setPoint, type PersonPose, type PoseFrame } from './types';

function frameOf(width: number, height: number, ...people: PersonPose[]): PoseFrame {
  return { width, height, people };
}

function px(img: RgbImage, x: number, y: number): [number, number, number] {
  const o = (y * img.width + x) * 3;
  return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
}

function colorCounts(img: RgbImage): Record<string, number> {
  const counts: Record<string, number> = {};
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    if (d[i] || d[i + 1] || d[i + 2]) {
      const k = `${d[i]},${d[i + 1]},${d[i + 2]}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  return counts;
}

function fnv1a(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Bounding box and count of pixels of one colour. */
function extent(img: RgbImage, c: readonly number[]) {
  let n = 0;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const p = px(img, x, y);
      if (p[0] === c[0] && p[1] === c[1] && p[2] === c[2]) {
        n++;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  return { n, x0, x1, y0, y1 };
}

describe('renderConditioning matches OpenCV (controlnet_aux drawing code run on cv2 4.6)', () => {
  for (const g of GOLDEN_CASES) {
    it(g.name, () => {
      const people = g.people.map((p, id) => ({ id, points: Float64Array.from(p) }));
      const img = renderConditioning(frameOf(g.width, g.height, ...people), {
        stickScale: g.stickScale,
      });
      expect(colorCounts(img)).toEqual(g.colorCounts);
      expect(fnv1a(img.data)).toBe(g.fnv1a);
    });
  }
});

describe('renderConditioning spec', () => {
  it('fills limb i with palette[i] × 0.6, truncated, in RGB order', () => {
    // [int(float(c) * 0.6) for c in color]: 255 → 153, 170 → 102, 85 → 51
    const scaled: Record<number, number> = { 0: 0, 85: 51, 170: 102, 255: 153 };
    for (let i = 0; i < BODY_LIMBS.length; i++) {
      const [a, b] = BODY_LIMBS[i]!;
      const p = createPerson();
      setPoint(p.points, a, 40, 100);
      setPoint(p.points, b, 160, 100);
      const img = renderConditioning(frameOf(200, 200, p), { stickScale: 1 });
      const expected = PALETTE[i]!.map((c) => scaled[c]!);
      // the ellipse's centre and a point inside it, away from the joint circles
      expect(px(img, 100, 100)).toEqual(expected);
      expect(px(img, 80, 102)).toEqual(expected);
      // minor axis 4: 9 rows tall at the middle, black just outside
      expect(px(img, 100, 96)).toEqual(expected);
      expect(px(img, 100, 104)).toEqual(expected);
      expect(px(img, 100, 95)).toEqual([0, 0, 0]);
      expect(px(img, 100, 105)).toEqual([0, 0, 0]);
    }
  });

  it('draws joints as radius-4 discs in palette[k] (49 pixels, 9 across)', () => {
    for (const k of [0, 7, 17]) {
      const p = createPerson();
      setPoint(p.points, k, 50.7, 60.2); // int() truncates to (50, 60)
      const img = renderConditioning(frameOf(120, 120, p));
      const e = extent(img, PALETTE[k]!);
      expect(e).toEqual({ n: 49, x0: 46, x1: 54, y0: 56, y1: 64 });
      expect(colorCounts(img)).toEqual({ [PALETTE[k]!.join(',')]: 49 });
    }
  });

  it('colours hand edge e with HSV(e/20, 1, 1) as matplotlib + OpenCV produce it', () => {
    const table = [
      [255, 0, 0], [255, 77, 0], [255, 153, 0], [255, 229, 0], [204, 255, 0],
      [128, 255, 0], [51, 255, 0], [0, 255, 25], [0, 255, 102], [0, 255, 179],
      [0, 255, 255], [0, 178, 255], [0, 102, 255], [0, 25, 255], [51, 0, 255],
      [128, 0, 255], [204, 0, 255], [255, 0, 230], [255, 0, 153], [255, 0, 77],
    ]; // prettier-ignore
    for (let e = 0; e < 20; e++) expect(handEdgeColor(e)).toEqual(table[e]);
    // edge 4 is 0–5 (wrist → index finger base)
    const p = createPerson();
    setPoint(p.points, LEFT_HAND.start + 0, 20, 50);
    setPoint(p.points, LEFT_HAND.start + 5, 80, 50);
    const img = renderConditioning(frameOf(100, 100, p));
    expect(px(img, 50, 50)).toEqual(table[4]);
    expect(px(img, 50, 49)).toEqual(table[4]); // thickness 2: one pixel either side
    expect(px(img, 50, 51)).toEqual(table[4]);
    expect(px(img, 50, 52)).toEqual([0, 0, 0]);
    // hand points: radius-4 blue discs on top of the line
    expect(extent(img, [0, 0, 255])).toMatchObject({ n: 98, x0: 16, x1: 84, y0: 46, y1: 54 });
  });

  it('draws face points as white radius-3 discs and no lines', () => {
    const p = createPerson();
    setPoint(p.points, FACE.start + 3, 30, 30);
    setPoint(p.points, FACE.start + 4, 60, 30);
    const img = renderConditioning(frameOf(100, 100, p));
    expect(colorCounts(img)).toEqual({ '255,255,255': 2 * 29 });
    expect(renderConditioning(frameOf(100, 100, p), { face: false }).data.some((v) => v)).toBe(
      false,
    );
  });

  it('draws nothing for missing points, limbs with a missing end, or hand points at x,y ≤ 0.01', () => {
    const p = createPerson();
    setPoint(p.points, Joint.neck, 50, 50, 0); // missing
    setPoint(p.points, Joint.rShoulder, 80, 50, -1); // missing (c < 0)
    setPoint(p.points, Joint.nose, 50, 20); // present, but limb 1–0 has a missing end
    setPoint(p.points, LEFT_HAND.start, 0.5, 40); // int(0.5) = 0 → not drawn
    setPoint(p.points, LEFT_HAND.start + 1, 30, 40);
    const img = renderConditioning(frameOf(100, 100, p));
    expect(colorCounts(img)).toEqual({ [PALETTE[0]!.join(',')]: 49, '0,0,255': 49 });
    expect(renderConditioning(frameOf(100, 100, createPerson())).data.some((v) => v)).toBe(false);
  });

  it('treats non-finite or absurdly far coordinates as missing', () => {
    const p = createPerson();
    setPoint(p.points, Joint.neck, 50, 50);
    setPoint(p.points, Joint.rShoulder, 1e12, -1e12);
    setPoint(p.points, Joint.lShoulder, NaN, 20);
    setPoint(p.points, Joint.nose, 50, Infinity);
    const img = renderConditioning(frameOf(100, 100, p));
    expect(colorCounts(img)).toEqual({ [PALETTE[1]!.join(',')]: 49 });
  });

  it('reuses the target buffer, clearing it first', () => {
    const a = createPerson();
    setPoint(a.points, Joint.neck, 20, 20);
    setPoint(a.points, Joint.rShoulder, 70, 70);
    const b = createPerson();
    setPoint(b.points, Joint.lHip, 50, 30);
    const target = createRgbImage(96, 80);
    const buffer = target.data;
    renderConditioning(frameOf(96, 80, a), {}, target);
    const out = renderConditioning(frameOf(96, 80, b), {}, target);
    expect(out).toBe(target);
    expect(out.data).toBe(buffer);
    expect(out.data).toEqual(renderConditioning(frameOf(96, 80, b)).data);
    expect(() => renderConditioning(frameOf(97, 80, b), {}, target)).toThrow(/96×80/);
  });

  it('scales the limb minor axis by the stick scale (auto = high-resolution rule)', () => {
    expect([499, 500, 999, 1000, 1999, 2000, 9000].map((s) => autoStickScale(s, 10))).toEqual([
      1, 2, 2, 3, 3, 4, 7,
    ]);
    const p = createPerson();
    setPoint(p.points, Joint.neck, 100, 300);
    setPoint(p.points, Joint.rShoulder, 400, 300);
    const thick = (img: RgbImage): number => {
      let n = 0;
      for (let y = 0; y < img.height; y++) if (px(img, 250, y)[0] === 153) n++;
      return n;
    };
    expect(thick(renderConditioning(frameOf(600, 600, p), { stickScale: 1 }))).toBe(9);
    expect(thick(renderConditioning(frameOf(600, 600, p)))).toBe(17); // auto: 600 px → 2
    expect(thick(renderConditioning(frameOf(600, 600, p), { stickScale: 3 }))).toBe(25);
    expect(() => renderConditioning(frameOf(60, 60, p), { stickScale: 0 })).toThrow(/stickScale/);
  });

  it('stickWidth: classic draws stick width 4 at any size (SD1.5 annotator), the default for packs', () => {
    const p = createPerson();
    setPoint(p.points, Joint.neck, 100, 300);
    setPoint(p.points, Joint.rShoulder, 400, 300);
    const thick = (img: RgbImage): number => {
      let n = 0;
      for (let y = 0; y < img.height; y++) if (px(img, 250, y)[0] === 153) n++;
      return n;
    };
    const at = (side: number, w: 'classic' | 'high-resolution') =>
      thick(renderConditioning(frameOf(side, side, p), { stickScale: stickScaleFor(w) }));
    expect([at(512, 'classic'), at(1024, 'classic'), at(2048, 'classic')]).toEqual([9, 9, 9]);
    expect([at(512, 'high-resolution'), at(1024, 'high-resolution')]).toEqual([17, 25]);
    expect(DiffusionParamsSchema.parse({ pack: 'p' }).stickWidth).toBe('classic');
    for (const bad of ['auto', 4, null, 'CLASSIC'])
      expect(DiffusionParamsSchema.safeParse({ pack: 'p', stickWidth: bad }).success).toBe(false);
  });

  it('draws feet only when asked', () => {
    const p = createPerson();
    setPoint(p.points, Joint.lAnkle, 50, 50);
    setPoint(p.points, Joint.lBigToe, 80, 60);
    const plain = renderConditioning(frameOf(100, 100, p));
    expect(colorCounts(plain)).toEqual({ [PALETTE[13]!.join(',')]: 49 });
    const withFeet = renderConditioning(frameOf(100, 100, p), { feet: true });
    expect(px(withFeet, 65, 55)).toEqual([0, 51, 153]); // limb 11's colour × 0.6
    expect(extent(withFeet, PALETTE[13]!).n).toBe(98);
  });
});
