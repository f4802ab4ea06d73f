/** The label grid: cell (i, j) is centred on picture point (x0 + (i + 0.5)·scale − 0.5, …). */
export interface LabelGrid {
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
  readonly scale: number;
}

/**
 * The grid cells [i0, i1] × [j0, j1] (inclusive, clipped to the grid, one cell of slack) that may
 * lie within r of the segment a–b.
 */
export function segmentCellBox(
  a: readonly [number, number],
  b: readonly [number, number],
  r: number,
  g: LabelGrid,
): { i0: number; i1: number; j0: number; j1: number } {
  return {
    i0: Math.max(0, Math.floor((Math.min(a[0], b[0]) - r - g.x0) / g.scale) - 1),
    i1: Math.min(g.w - 1, Math.ceil((Math.max(a[0], b[0]) + r - g.x0) / g.scale) + 1),
    j0: Math.max(0, Math.floor((Math.min(a[1], b[1]) - r - g.y0) / g.scale) - 1),
    j1: Math.min(g.h - 1, Math.ceil((Math.max(a[1], b[1]) + r - g.y0) / g.scale) + 1),
  };
}
