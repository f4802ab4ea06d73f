/**
 * The picture pyramid `inpaintPatches` works on: each level half the size of the one before, a
 * coarse pixel in the hole when any of its fine pixels is (so no hole colour leaks into a coarse
 * known pixel), with the patches that can be copied from and the patches to fill at each level.
 */
import { dilate } from '#shared/puppet/mask';

export interface PatchLevel {
  readonly width: number;
  readonly height: number;
  /** width × height × 3; hole pixels hold whatever the input had (never read as a source). */
  readonly rgb: Float32Array;
  /** 1 where the pixel is to be filled. */
  readonly hole: Uint8Array;
  /** 1 where a known pixel may not be copied (another person); undefined: none. */
  readonly avoid: Uint8Array | undefined;
  /** 1 at the centre of every whole known patch inside the picture: what may be copied. */
  readonly valid: Uint8Array;
  /** The indices where `valid` is 1. */
  readonly sources: Int32Array;
  /** Centres (inside the picture by r) of the patches that hold a hole pixel: what is matched. */
  readonly targets: Int32Array;
}

/** Levels stop halving at this long side: there the hole is a few pixels wide. */
export const COARSEST_SIDE = 48;
/** A level needs at least this many whole known patches to copy from. */
const MIN_SOURCES = 16;

/**
 * The levels, finest (the input) first; empty when even the input has fewer than MIN_SOURCES
 * whole known patches of half-size r.
 */
export function pyramid(
  rgb: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  r: number,
  /** Known pixels no patch may be copied from (1); undefined: every known pixel may be. */
  avoid?: Uint8Array,
): PatchLevel[] {
  const levels: PatchLevel[] = [];
  let level = patchLevel(rgb, hole, avoid, width, height, r);
  while (level) {
    levels.push(level);
    const { width: w, height: h } = level;
    if (Math.max(w, h) <= COARSEST_SIDE || Math.min(w, h) / 2 < 4 * r + 2) break;
    level = patchLevel(...halved(level), r);
  }
  return levels;
}

function patchLevel(
  rgb: Float32Array,
  hole: Uint8Array,
  avoid: Uint8Array | undefined,
  width: number,
  height: number,
  r: number,
): PatchLevel | undefined {
  const near = dilate(hole, width, height, r);
  const nearAvoided = avoid ? dilate(avoid, width, height, r) : undefined;
  const valid = new Uint8Array(width * height);
  let count = 0;
  let holes = 0;
  for (let y = r; y < height - r; y++)
    for (let x = r; x < width - r; x++) {
      const p = y * width + x;
      if (near[p]) holes++;
      else if (!nearAvoided?.[p]) {
        valid[p] = 1;
        count++;
      }
    }
  const sources = new Int32Array(count);
  const targets = new Int32Array(holes);
  let s = 0;
  let t = 0;
  for (let y = r; y < height - r; y++)
    for (let x = r; x < width - r; x++) {
      const p = y * width + x;
      if (valid[p]) sources[s++] = p;
      else if (near[p]) targets[t++] = p;
    }
  if (sources.length < MIN_SOURCES) return undefined;
  return {
    width,
    height,
    rgb,
    hole,
    avoid,
    valid,
    sources,
    targets,
  };
}

/**
 * The level at half size: 2×2 blocks averaged; a block with any hole (avoided) pixel is a hole
 * (avoided) pixel.
 */
function halved(
  level: PatchLevel,
): [Float32Array, Uint8Array, Uint8Array | undefined, number, number] {
  const { width: w, height: h, rgb, hole, avoid } = level;
  const w2 = Math.ceil(w / 2);
  const h2 = Math.ceil(h / 2);
  const out = new Float32Array(w2 * h2 * 3);
  const outHole = new Uint8Array(w2 * h2);
  const outAvoid = avoid ? new Uint8Array(w2 * h2) : undefined;
  for (let y = 0; y < h2; y++)
    for (let x = 0; x < w2; x++) {
      const q = y * w2 + x;
      let n = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < 2; dy++)
        for (let dx = 0; dx < 2; dx++) {
          const xx = 2 * x + dx;
          const yy = 2 * y + dy;
          if (xx >= w || yy >= h) continue;
          const p = yy * w + xx;
          if (hole[p]) outHole[q] = 1;
          if (avoid?.[p] && outAvoid) outAvoid[q] = 1;
          r += rgb[p * 3]!;
          g += rgb[p * 3 + 1]!;
          b += rgb[p * 3 + 2]!;
          n++;
        }
      out[q * 3] = r / n;
      out[q * 3 + 1] = g / n;
      out[q * 3 + 2] = b / n;
    }
  return [out, outHole, outAvoid, w2, h2];
}
