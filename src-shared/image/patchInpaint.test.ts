import { describe, expect, it } from 'vitest';
import { inpaintTelea } from './inpaint';
import { inpaintPatches } from './patchInpaint';
import { COARSEST_SIDE, pyramid } from './patchPyramid';

/** A w×h RGB picture made by f(x, y) (grey levels 0–1), its hole by inside(x, y). */
function scene(
  w: number,
  h: number,
  f: (x: number, y: number) => number,
  inside: (x: number, y: number) => boolean,
) {
  const rgb = new Float32Array(w * h * 3);
  const hole = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      // The hole's old content (the character) must not leak into the fill.
      rgb.fill(inside(x, y) ? 0.5 : f(x, y), i * 3, i * 3 + 3);
      hole[i] = inside(x, y) ? 1 : 0;
    }
  return { rgb, hole };
}

/** Mean absolute difference from f over the hole (first channel). */
function errorInHole(
  out: Float32Array,
  hole: Uint8Array,
  w: number,
  f: (x: number, y: number) => number,
) {
  let s = 0;
  let n = 0;
  for (let i = 0; i < hole.length; i++)
    if (hole[i]) {
      s += Math.abs(out[i * 3]! - f(i % w, Math.floor(i / w)));
      n++;
    }
  return s / n;
}

/** A repeatable pseudo-random grain in [0, 1) per pixel. */
const grain = (x: number, y: number) => {
  const v = Math.sin(x * 12.9898 + y * 78.233) * 43758.5453;
  return v - Math.floor(v);
};

describe('patch inpainting (texture copied into the hole)', () => {
  const w = 96;
  const h = 72;
  const disc = (x: number, y: number) => (x - 48) ** 2 + (y - 36) ** 2 < 15 ** 2;

  it('leaves every known pixel exactly as it was and fills every hole pixel', () => {
    const { rgb, hole } = scene(w, h, grain, disc);
    const out = inpaintPatches(rgb, hole, w, h);
    expect([...out].filter((v, i) => !hole[Math.floor(i / 3)] && v !== rgb[i])).toEqual([]);
    expect([...out].some((v, i) => hole[Math.floor(i / 3)] && v === 0.5)).toBe(false);
    expect(out).not.toBe(rgb);
  });

  it('continues a stripe texture where Telea blurs it to grey', () => {
    // Vertical stripes, 4 px dark, 4 px light: the hole's true content is known.
    const stripes = (x: number) => (Math.floor(x / 4) % 2 ? 0.9 : 0.1);
    const { rgb, hole } = scene(w, h, stripes, disc);
    const patches = errorInHole(inpaintPatches(rgb, hole, w, h), hole, w, stripes);
    const telea = errorInHole(inpaintTelea(rgb, hole, w, h), hole, w, stripes);
    expect(patches).toBeLessThan(0.12);
    expect(patches).toBeLessThan(telea / 2);
  });

  it('keeps a dark object at the rim from smearing over the hole', () => {
    // Light grainy snow, a dark bar (a ski binding) along the hole's lower edge.
    const snow = (x: number, y: number) => 0.8 + 0.1 * grain(x, y);
    const bar = (x: number, y: number) => y >= 46 && y < 50 && x >= 36 && x < 60;
    const f = (x: number, y: number) => (bar(x, y) ? 0.05 : snow(x, y));
    const box = (x: number, y: number) => x >= 38 && x < 58 && y >= 20 && y < 46;
    const { rgb, hole } = scene(w, h, f, box);
    const mean = (out: Float32Array) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < hole.length; i++)
        if (hole[i]) {
          s += out[i * 3]!;
          n++;
        }
      return s / n;
    };
    const patches = mean(inpaintPatches(rgb, hole, w, h));
    const telea = mean(inpaintTelea(rgb, hole, w, h));
    expect(patches).toBeGreaterThan(0.78);
    expect(telea).toBeLessThan(patches - 0.05); // the smear the patches avoid
  });

  it('gives the same fill every time (seeded search)', () => {
    const { rgb, hole } = scene(w, h, grain, disc);
    expect(inpaintPatches(rgb, hole, w, h)).toEqual(inpaintPatches(rgb, hole, w, h));
  });

  it('fills holes touching the picture edge', () => {
    const corner = (x: number, y: number) => x < 10 && y < 8;
    const stripes = (x: number) => (Math.floor(x / 3) % 2 ? 1 : 0);
    const { rgb, hole } = scene(w, h, stripes, corner);
    const out = inpaintPatches(rgb, hole, w, h);
    expect(errorInHole(out, hole, w, stripes)).toBeLessThan(0.2);
  });

  it('copies nothing from pixels it must avoid (another person), though they stay as they are', () => {
    // Grey grain, a red figure touching the hole's right side: avoided, no red may enter the fill.
    const f = (x: number, y: number) => 0.5 + 0.1 * grain(x, y);
    const box = (x: number, y: number) => x >= 30 && x < 50 && y >= 20 && y < 50;
    const red = (x: number, y: number) => x >= 50 && x < 62 && y >= 15 && y < 55;
    const { rgb, hole } = scene(w, h, f, box);
    const avoid = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (red(x, y)) {
          rgb.set([1, 0, 0], (y * w + x) * 3);
          avoid[y * w + x] = 1;
        }
    const reddish = (out: Float32Array) =>
      [...hole].filter((v, i) => v && out[i * 3]! - out[i * 3 + 1]! > 0.2).length;
    const plain = inpaintPatches(rgb, hole, w, h);
    const avoided = inpaintPatches(rgb, hole, w, h, { avoid });
    expect(reddish(plain)).toBeGreaterThan(0); // the case is one where red would come in
    expect(reddish(avoided)).toBe(0);
    expect([...avoided].filter((v, i) => avoid[Math.floor(i / 3)] && v !== rgb[i])).toEqual([]);
  });

  it('matches on the coarsest level even when that level is large (a long thin picture)', () => {
    // 600×12 is not halved (its half would be shorter than two patches): its only level, 600 px
    // long, is past the matched side and still must be matched, not voted from random picks.
    const lw = 600;
    const lh = 12;
    const stripes = (x: number) => (Math.floor(x / 4) % 2 ? 0.9 : 0.1);
    const { rgb, hole } = scene(lw, lh, stripes, (x, y) => x >= 280 && x < 300 && y >= 3 && y < 9);
    expect(errorInHole(inpaintPatches(rgb, hole, lw, lh), hole, lw, stripes)).toBeLessThan(0.2);
  });

  it('falls back to Telea when there is no whole known patch to copy', () => {
    // Too small for a 5×5 patch, or all hole but one pixel: no crash, holes filled, known kept.
    for (const [pw, ph] of [
      [3, 3],
      [1, 40],
      [12, 12],
    ] as const) {
      const { rgb, hole } = scene(pw, ph, grain, (x, y) => x + y > 0);
      const out = inpaintPatches(rgb, hole, pw, ph);
      expect(out.length).toBe(pw * ph * 3);
      expect(out[0]).toBe(rgb[0]);
      expect([...out].every(Number.isFinite)).toBe(true);
    }
  });
});

describe('patch pyramid', () => {
  it('halves down to the coarsest side, a coarse pixel in the hole where any fine one is', () => {
    const w = 200;
    const h = 150;
    const { rgb, hole } = scene(w, h, grain, (x, y) => x === 101 && y === 77);
    const levels = pyramid(rgb, hole, w, h, 2);
    expect(levels.map((l) => l.width)).toEqual([200, 100, 50, 25]);
    expect(Math.max(levels.at(-1)!.width, levels.at(-1)!.height)).toBeLessThanOrEqual(
      COARSEST_SIDE,
    );
    for (const l of levels.slice(1)) expect([...l.hole].filter(Boolean).length).toBe(1);
    expect(levels[1]!.hole[38 * 100 + 50]).toBe(1);
  });

  it('copies only from whole known patches inside the picture, and matches every patch touching the hole', () => {
    const w = 40;
    const h = 30;
    const { rgb, hole } = scene(w, h, grain, (x, y) => x >= 10 && x < 14 && y >= 10 && y < 13);
    const [level] = pyramid(rgb, hole, w, h, 2);
    for (const p of level!.sources) {
      const x = p % w;
      const y = Math.floor(p / w);
      expect(x >= 2 && y >= 2 && x < w - 2 && y < h - 2).toBe(true);
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) expect(hole[p + dy * w + dx]).toBe(0);
    }
    // Every hole pixel lies in some target's patch.
    const covered = new Uint8Array(w * h);
    for (const p of level!.targets)
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) covered[p + dy * w + dx] = 1;
    expect([...hole].every((v, i) => !v || covered[i])).toBe(true);
  });
});
