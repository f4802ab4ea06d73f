/**
 * Inpainting that copies texture: the hole is filled with patches of the picture's own known
 * pixels, coarse to fine (Wexler, Shechtman & Irani, "Space-Time Completion of Video", 2007, the
 * method behind content-aware fill), with PatchMatch (Barnes et al. 2009) finding, for every patch
 * that overlaps the hole, the most similar patch lying wholly in the known part.
 *
 * Why: Telea's fast marching (`inpaint.ts`) fills smoothly from the hole's rim, so on a photo the
 * snow or grass where the person stood came out as a flat, blurred shape, and a dark thing at the
 * rim (a ski binding under a boot) was smeared over the whole hole, like a ghost of the boot. Here
 * Telea only starts the coarsest level (where the hole is a few pixels wide); every finer level is
 * rebuilt from real patches, so the fill has the surroundings' grain and no smear.
 *
 * Each level: the estimate is voted from the matches (each hole pixel the mean of what the patches
 * covering it copy), matched again, voted again; the matches are then carried to the next finer
 * level. Deterministic: the random search uses a seeded generator. A 640×425 photo with a
 * 36,000-pixel hole (ring included) takes ~65 ms warm (`npm run bench:plate`).
 */
import { seededRandom } from '#shared/random/seededRandom';
import { inpaintTelea } from './inpaint';
import { type PatchLevel, pyramid } from './patchPyramid';

export interface PatchInpaintOptions {
  /** Patch half-size in pixels (a patch is (2r+1)²); default 2. */
  radius?: number;
  /** Seed of the random search; default 1. */
  seed?: number;
  /**
   * Known pixels no patch may be copied from, though they keep their values (1): other people in
   * a photo, so none of them turns up in the person's hole.
   */
  avoid?: Uint8Array;
}

/** Matching and voting rounds on a level no larger than MATCHED_SIDE, and on the coarsest. */
const ROUNDS = 3;
/**
 * Levels larger than this (long side), the coarsest apart, are not matched: the matches of the
 * level below are doubled and voted. The structure is settled by then and the copied patches keep their full-resolution
 * grain; matching them again cost 3× the time (60 ms a round for a 640×425 photo) for a fill that
 * looked the same.
 */
export const MATCHED_SIDE = 256;

/**
 * Fills the pixels where `hole` is 1 in `rgb` (width × height × 3, any scale) from patches of the
 * rest. Known pixels come back unchanged. Falls back to Telea where the picture has too few whole
 * known patches to copy from.
 */
export function inpaintPatches(
  rgb: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  options: PatchInpaintOptions = {},
): Float32Array {
  const r = options.radius ?? 2;
  const levels = pyramid(rgb, hole, width, height, r, options.avoid);
  if (levels.length === 0) return inpaintTelea(rgb, hole, width, height);
  const random = seededRandom(options.seed ?? 1);
  let coarse = levels[levels.length - 1]!;
  let image = inpaintTelea(coarse.rgb, coarse.hole, coarse.width, coarse.height);
  let matches = randomMatches(coarse, random);
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l]!;
    if (l < levels.length - 1) {
      matches = finerMatches(coarse, matches, level, random);
      image = upsampled(coarse, image, level);
      vote(level, image, matches, r);
    }
    // The coarsest level is always matched: its matches are random picks until then (a long thin
    // picture, or one whose coarser levels had too few sources, stops halving above MATCHED_SIDE).
    const coarsest = l === levels.length - 1;
    const rounds = coarsest || Math.max(level.width, level.height) <= MATCHED_SIDE ? ROUNDS : 0;
    // The first search looks across the whole coarsest level; later ones refine near the match.
    for (let k = 0; k < rounds; k++) {
      match(level, image, matches, r, random, k === 0 && coarsest ? 0 : 8);
      vote(level, image, matches, r);
    }
    coarse = level;
  }
  return image;
}

/**
 * Improves each target's match (`matches[p]`: the source centre for target centre p, −1 for none)
 * by PatchMatch: a neighbour's match shifted by one, then random tries around the best at halving
 * radii (from `far` px, or the picture's size when 0). Two sweeps, forward and backward.
 */
function match(
  level: PatchLevel,
  image: Float32Array,
  matches: Int32Array,
  r: number,
  random: () => number,
  far: number,
): void {
  const { width: w, height: h, targets, valid } = level;
  const offsets = patchOffsets(r, w);
  const cost = new Float64Array(targets.length);
  for (let t = 0; t < targets.length; t++)
    cost[t] = distance(image, targets[t]!, matches[targets[t]!]!, offsets, Infinity);
  const start = far > 0 ? far : Math.max(w, h);
  for (let sweep = 0; sweep < 2; sweep++) {
    const step = sweep === 0 ? 1 : -1;
    for (let k = 0; k < targets.length; k++) {
      const t = sweep === 0 ? k : targets.length - 1 - k;
      const p = targets[t]!;
      let best = matches[p]!;
      let bestCost = cost[t]!;
      // Propagation: the neighbour before p (in this sweep's order) matched q, so p may match q+1.
      for (let n = 0; n < 2; n++) {
        const d = n === 0 ? step : step * w;
        const q = matches[p - d]!;
        if (q < 0 || !valid[q + d]) continue;
        const c = distance(image, p, q + d, offsets, bestCost);
        if (c < bestCost) {
          bestCost = c;
          best = q + d;
        }
      }
      // Random search around the best so far.
      const bx = best % w;
      const by = (best - bx) / w;
      for (let radius = start; radius >= 1; radius >>= 1) {
        const x = bx + Math.round((random() * 2 - 1) * radius);
        const y = by + Math.round((random() * 2 - 1) * radius);
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const q = y * w + x;
        if (!valid[q]) continue;
        const c = distance(image, p, q, offsets, bestCost);
        if (c < bestCost) {
          bestCost = c;
          best = q;
        }
      }
      matches[p] = best;
      cost[t] = bestCost;
    }
  }
}

/** Sum of squared differences of the patches at p and q, stopping once it reaches `bound`. */
function distance(
  image: Float32Array,
  p: number,
  q: number,
  offsets: Int32Array,
  bound: number,
): number {
  let sum = 0;
  for (let k = 0; k < offsets.length; k++) {
    const a = (p + offsets[k]!) * 3;
    const b = (q + offsets[k]!) * 3;
    const dr = image[a]! - image[b]!;
    const dg = image[a + 1]! - image[b + 1]!;
    const db = image[a + 2]! - image[b + 2]!;
    sum += dr * dr + dg * dg + db * db;
    if (sum >= bound) return sum;
  }
  return sum;
}

/**
 * Each hole pixel becomes the mean of what the patches covering it copy there (every target whose
 * patch holds it). Known pixels are left as they are.
 */
function vote(level: PatchLevel, image: Float32Array, matches: Int32Array, r: number): void {
  const { width: w, hole, targets } = level;
  const offsets = patchOffsets(r, w);
  const n = hole.length;
  const sum = new Float32Array(3 * n);
  const count = new Float32Array(n);
  for (let t = 0; t < targets.length; t++) {
    const p = targets[t]!;
    const q = matches[p]!;
    if (q < 0) continue;
    for (let k = 0; k < offsets.length; k++) {
      const x = p + offsets[k]!;
      if (!hole[x]) continue;
      const s = (q + offsets[k]!) * 3;
      sum[x * 3] = sum[x * 3]! + image[s]!;
      sum[x * 3 + 1] = sum[x * 3 + 1]! + image[s + 1]!;
      sum[x * 3 + 2] = sum[x * 3 + 2]! + image[s + 2]!;
      count[x] = count[x]! + 1;
    }
  }
  // Sources are whole known patches: the sums read no hole pixel, so filling the hole now changes
  // nothing they read.
  for (let x = 0; x < n; x++) {
    if (!hole[x] || count[x] === 0) continue;
    image[x * 3] = sum[x * 3]! / count[x]!;
    image[x * 3 + 1] = sum[x * 3 + 1]! / count[x]!;
    image[x * 3 + 2] = sum[x * 3 + 2]! / count[x]!;
  }
}

/** The finer level's picture, its hole pixels taken from the coarser estimate (nearest pixel). */
function upsampled(coarse: PatchLevel, estimate: Float32Array, fine: PatchLevel): Float32Array {
  const out = new Float32Array(fine.rgb);
  const { width: w, hole } = fine;
  for (let p = 0; p < hole.length; p++) {
    if (!hole[p]) continue;
    const x = p % w;
    const y = (p - x) / w;
    const c =
      (Math.min(coarse.height - 1, y >> 1) * coarse.width + Math.min(coarse.width - 1, x >> 1)) * 3;
    out[p * 3] = estimate[c]!;
    out[p * 3 + 1] = estimate[c + 1]!;
    out[p * 3 + 2] = estimate[c + 2]!;
  }
  return out;
}

/** Index offsets of a (2r+1)² patch in a picture `w` wide. */
function patchOffsets(r: number, w: number): Int32Array {
  const out = new Int32Array((2 * r + 1) * (2 * r + 1));
  let k = 0;
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) out[k++] = dy * w + dx;
  return out;
}

/** A random whole known patch for every target of the level. */
function randomMatches(level: PatchLevel, random: () => number): Int32Array {
  const matches = new Int32Array(level.width * level.height).fill(-1);
  for (let t = 0; t < level.targets.length; t++)
    matches[level.targets[t]!] = level.sources[Math.floor(random() * level.sources.length)]!;
  return matches;
}

/**
 * The finer level's matches from the coarser one's: target p takes twice its coarse pixel's match
 * plus its offset in the 2×2 block, or a random source where that is not a whole known patch.
 */
function finerMatches(
  coarse: PatchLevel,
  coarseMatches: Int32Array,
  fine: PatchLevel,
  random: () => number,
): Int32Array {
  const { width: w, height: h } = fine;
  const matches = new Int32Array(w * h).fill(-1);
  for (let t = 0; t < fine.targets.length; t++) {
    const p = fine.targets[t]!;
    const x = p % w;
    const y = (p - x) / w;
    const cx = Math.min(coarse.width - 1, x >> 1);
    const cy = Math.min(coarse.height - 1, y >> 1);
    const cq = coarseMatches[cy * coarse.width + cx]!;
    let q = -1;
    if (cq >= 0) {
      const qx = 2 * (cq % coarse.width) + (x & 1);
      const qy = 2 * Math.floor(cq / coarse.width) + (y & 1);
      if (qx < w && qy < h && fine.valid[qy * w + qx]) q = qy * w + qx;
    }
    matches[p] = q >= 0 ? q : fine.sources[Math.floor(random() * fine.sources.length)]!;
  }
  return matches;
}
