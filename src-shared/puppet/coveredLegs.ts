/**
 * Where a leg is drawn under a skirt, a dress or a coat. The leg's bone runs from the hip under the
 * skirt to the knee below it, so without this the thigh took the skirt's pixels near its bone and
 * a walk tore the skirt along the legs (AnimatedDrawings' char2, a girl in a skirt). Measured along
 * the leg from the hip: the character's width across the bone, against the leg's own width where it
 * shows near the ankle. The stretch from the hip down where the character is several legs wide is
 * the skirt's, not the leg's: the leg claims only what lies below it (`limbReach`), the skirt goes
 * with the torso, and the leg slides under it.
 */
import type { LabelGrid } from './labelGrid';

type P = readonly [number, number];

/** Across the bone the character is this many times the leg's width: the leg is under something. */
export const COVERED_WIDTH = 2.6;
/**
 * The covered stretch counts from this fraction of the thigh and this many leg widths on: a wide
 * pelvis covers the top of the leg for less (AnimatedDrawings' char5 and char6, 8–13 px of legs
 * 34–74 px wide; the skirt of char2, 66 px of a leg 19 px wide).
 */
export const MIN_COVERED_THIGH = 0.3;
export const MIN_COVERED_LEGS = 2;
/** The leg's own width is measured over this last fraction of the leg (the shin above the foot). */
const SHOWN_FRACTION = 0.35;

/** The character's extent (px) through point p across direction (nx, ny), walking inside cells. */
function sectionWidth(inside: Uint8Array, g: LabelGrid, p: P, nx: number, ny: number): number {
  const { x0, y0, w, h, scale } = g;
  const step = scale / 2;
  let total = 0;
  for (const sign of [1, -1]) {
    for (let s = sign > 0 ? 0 : step; ; s += step) {
      const i = Math.floor((p[0] + sign * nx * s + 0.5 - x0) / scale);
      const j = Math.floor((p[1] + sign * ny * s + 0.5 - y0) / scale);
      if (i < 0 || j < 0 || i >= w || j >= h || !inside[j * w + i]) break;
      total += step;
    }
  }
  return total;
}

export interface CoveredLeg {
  /** How far (px along hip → knee → ankle) the leg runs under something wider than itself. */
  readonly length: number;
  /** The leg's own half-width where it shows, px. */
  readonly half: number;
}

/**
 * The stretch of the leg from the hip that runs under something wider than itself; undefined when
 * it shows from the hip on (or its width cannot be told: no shin in the picture).
 */
export function coveredLength(
  hip: P | undefined,
  knee: P | undefined,
  ankle: P | undefined,
  inside: Uint8Array,
  g: LabelGrid,
): CoveredLeg | undefined {
  if (!hip || !knee || !ankle) return undefined;
  const segs: [P, P][] = [
    [hip, knee],
    [knee, ankle],
  ];
  const lens = segs.map(([a, b]) => Math.hypot(b[0] - a[0], b[1] - a[1]));
  const total = lens[0]! + lens[1]!;
  // NaN, 1e308 or a leg longer than the grid is round: no cover (and no endless walk along it).
  if (!(total > 4 * g.scale) || !(total < 4 * (g.w + g.h) * g.scale) || !(lens[0]! > 0))
    return undefined;
  // One sample per cell along the leg: distance from the hip and the section there.
  const along: number[] = [];
  const section: number[] = [];
  for (let d = 0; d <= total; d += g.scale) {
    const s = d <= lens[0]! ? 0 : 1;
    const [a, b] = segs[s]!;
    const len = lens[s]!;
    if (len <= 0) continue;
    const t = (s === 0 ? d : d - lens[0]!) / len;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    along.push(d);
    section.push(sectionWidth(inside, g, [a[0] + ux * t * len, a[1] + uy * t * len], -uy, ux));
  }
  const shown = section
    .filter((_, i) => along[i]! >= total * (1 - SHOWN_FRACTION) && section[i]! > 0)
    .sort((u, v) => u - v);
  if (shown.length < 3) return undefined;
  const leg = shown[shown.length >> 1]!;
  // The covered stretch: from the hip down to the last wide section before the leg shows for
  // good (three cells in a row no wider than a few legs).
  let end = 0;
  let narrowRun = 0;
  for (let i = 0; i < section.length; i++) {
    if (section[i]! > COVERED_WIDTH * leg) {
      end = along[i]!;
      narrowRun = 0;
    } else if (++narrowRun >= 3) break;
  }
  return end >= Math.max(MIN_COVERED_THIGH * lens[0]!, MIN_COVERED_LEGS * leg)
    ? { length: end, half: leg / 2 }
    : undefined;
}
