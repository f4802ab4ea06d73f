/**
 * Where the torso spreads slowly: past a hip, inside that thigh's reach. The torso is seeded over
 * its whole shoulder–hip quad, so on a plump drawing (thighs wide, their bones far from their inner
 * outlines) the crotch's outline below the hip line lay nearer the quad's lower edge than the thigh
 * bone: the torso took a wedge of each inner thigh, and a walk sheared it into spikes and left it
 * behind where the leg had gone. A thigh begins at its hip's cross-section (the line through the
 * hip across the bone), so past that line the torso's geodesic steps cost `BEYOND_HIP_COST` times
 * as much: the border settles a few pixels past the line, and the two parts still meet with a seam
 * to blend over (a hard cap would leave the torso no second label on the thigh's side).
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, point } from './bones';
import { type LabelGrid, segmentCellBox } from './labelGrid';

/** How much more a torso step costs past a hip's cross-section, inside the thigh's band. */
export const BEYOND_HIP_COST = 4;

/**
 * The thigh's band: this many of the leg's half-widths from its bone. A leg's own width (half a
 * width more for a bone drawn off the leg's middle, whose half-width is measured to the nearer
 * side), not its whole reach: a round body whose legs hang from its lower sides (a beetle, an
 * animal's belly) lies past the hips too, and stays the body's.
 */
export const BAND_HALF_WIDTHS = 1.5;

/**
 * Per cell, 1 where a torso step costs `BEYOND_HIP_COST`: past the cross-section at a hip (along
 * the thigh's bone, hip → knee), within `BAND_HALF_WIDTHS` of the leg's half-widths of the thigh's
 * bone, and in that thigh's reach cells (`limbCells`, from `limbReach`: a leg under a skirt reaches
 * only below the skirt, so the skirt stays the torso's). `limbHalf`: each limb bone's half-width
 * (picture pixels), from `limbReach` too. Undefined when no thigh is mapped.
 */
export function beyondHips(
  ref: Float64Array,
  limbCells: readonly (Uint8Array | undefined)[],
  limbHalf: Float64Array,
  grid: LabelGrid,
): Uint8Array | undefined {
  const { x0, y0, w, h, scale } = grid;
  let zone: Uint8Array | undefined;
  for (const hip of [Joint.rHip, Joint.lHip]) {
    const k = BONES.findIndex((b) => b.segment?.[0] === hip);
    const cells = limbCells[k];
    const a = point(ref, hip);
    const b = point(ref, BONES[k]!.segment![1]);
    if (!cells || !a || !b) continue;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const band = BAND_HALF_WIDTHS * limbHalf[k]!;
    const band2 = band * band;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    zone ??= new Uint8Array(w * h);
    // Only the cells of the band's box (a thigh is a small part of the picture).
    const { i0, i1, j0, j1 } = segmentCellBox(a, b, band, grid);
    for (let j = j0; j <= j1; j++) {
      const py = y0 + (j + 0.5) * scale - 0.5 - a[1];
      for (let i = i0; i <= i1; i++) {
        const c = j * w + i;
        if (!cells[c]) continue;
        const px = x0 + (i + 0.5) * scale - 0.5 - a[0];
        const t = px * ux + py * uy;
        if (t <= 0) continue;
        // Distance to the bone's segment (past the knee: to the knee).
        const u = t > len ? len : t;
        const ex = px - u * ux;
        const ey = py - u * uy;
        if (ex * ex + ey * ey <= band2) zone[c] = 1;
      }
    }
  }
  return zone;
}
