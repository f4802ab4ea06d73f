/**
 * Specks a hidden area would carry along. A part's hidden area takes the picture's own outline
 * (its alpha) where the front part was: a furry arm's spiky edge becomes the torso's edge there.
 * Where a spike's root lies outside the hidden triangles, its tip is left as a speck of a few
 * pixels, apart from the part, that stays floating beside the body when the arm moves away
 * (a beast drawn with fur: 4–7 px specks off the shoulder, three pieces instead of one). Such
 * islands are cleared from the hidden texture; a large piece apart from the part is left alone
 * (it would be a hole if it were wrong to clear it, not a speck).
 */
import { type RowSpans, scanMeshTriangle } from './scanline';

/** A texture's box of the picture: x0, y0, width, height. */
export type TextureBox = readonly [number, number, number, number];

/** Islands up to this many pixels, or this share of the hidden area, whichever is larger, go. */
const SPECK_PIXELS = 16;
const SPECK_SHARE = 0.02;
/** A pixel is part of a piece from this alpha on (as a viewer sees it over a plain background). */
const SOLID = 0.5;

/**
 * Clears the hidden texture `tex` (premultiplied RGBA over `box`) where the hidden triangles draw
 * a small piece not joined (4-connected, through pixels of alpha ≥ ½) to the part's own pixels
 * `own` (same box). Returns how many pixels it cleared.
 */
export function dropHiddenIslands(
  tex: Float32Array,
  own: Uint8Array,
  box: TextureBox,
  points: ArrayLike<number>,
  triangles: ArrayLike<number>,
  tris: readonly number[],
  picture: { width: number; height: number },
): number {
  const [x0, y0, tw, th] = box;
  const drawn = new Uint8Array(tw * th);
  const spans: RowSpans = new Int32Array(3 * picture.height);
  let area = 0;
  for (const t of tris) {
    const rows = scanMeshTriangle(points, triangles, t, picture.width, picture.height, spans);
    for (let r = 0; r < rows; r++) {
      const y = spans[3 * r]! - y0;
      if (y < 0 || y >= th) continue;
      const from = Math.max(0, spans[3 * r + 1]! - x0);
      const to = Math.min(tw, spans[3 * r + 2]! - x0);
      for (let x = from; x < to; x++) {
        if (!drawn[y * tw + x]) area++;
        drawn[y * tw + x] = 1;
      }
    }
  }
  // Pieces: own pixels and drawn solid pixels; the ones holding an own pixel are kept.
  const piece = new Int32Array(tw * th).fill(-1);
  const solid = (o: number) => own[o] === 1 || (drawn[o]! > 0 && tex[o * 4 + 3]! >= SOLID);
  const stack: number[] = [];
  const limit = Math.max(SPECK_PIXELS, SPECK_SHARE * area);
  let cleared = 0;
  for (let start = 0; start < tw * th; start++) {
    if (piece[start]! >= 0 || !solid(start)) continue;
    const members: number[] = [];
    let joined = false;
    piece[start] = start;
    stack.push(start);
    while (stack.length) {
      const o = stack.pop()!;
      members.push(o);
      joined ||= own[o] === 1;
      const x = o % tw;
      for (let d = 0; d < 4; d++) {
        if ((d === 0 && x === 0) || (d === 1 && x === tw - 1)) continue;
        const n = d === 0 ? o - 1 : d === 1 ? o + 1 : d === 2 ? o - tw : o + tw;
        if (n >= 0 && n < tw * th && piece[n]! < 0 && solid(n)) {
          piece[n] = start;
          stack.push(n);
        }
      }
    }
    if (joined || members.length > limit) continue;
    // The speck and its soft rim (the drawn pixels of lower alpha around it).
    for (const o of members) {
      const x = o % tw;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const u = x + dx;
          const v = ((o / tw) | 0) + dy;
          if (u < 0 || v < 0 || u >= tw || v >= th) continue;
          const n = v * tw + u;
          if (!drawn[n] || own[n] || (n !== o && tex[n * 4 + 3]! >= SOLID)) continue;
          if (tex[n * 4 + 3]! > 0) cleared++;
          tex.fill(0, n * 4, n * 4 + 4);
        }
    }
  }
  return cleared;
}
