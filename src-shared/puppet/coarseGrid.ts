/**
 * The coarse grid the puppet solves its warp on: points at (i·stride, j·stride) covering the
 * picture (the last row/column may lie just past the edge). Stride grows with the picture so the
 * grid stays ~128 points on the long side: per-frame cost then barely depends on picture size.
 */
export interface CoarseGrid {
  readonly stride: number;
  readonly w: number;
  readonly h: number;
}

export function coarseGridFor(width: number, height: number, targetCells = 96): CoarseGrid {
  const stride = Math.max(2, Math.round(Math.max(width, height) / targetCells));
  return {
    stride,
    w: Math.ceil((width - 1) / stride) + 1,
    h: Math.ceil((height - 1) / stride) + 1,
  };
}

/** Cell (i, j) is in the mask if any mask pixel within half a stride of its point is set. */
export function coarseMask(
  mask: Uint8Array,
  width: number,
  height: number,
  grid: CoarseGrid,
): Uint8Array {
  const out = new Uint8Array(grid.w * grid.h);
  const r = Math.floor(grid.stride / 2);
  for (let y = 0; y < height; y++) {
    const j0 = Math.max(0, Math.ceil((y - r) / grid.stride));
    const j1 = Math.min(grid.h - 1, Math.floor((y + r) / grid.stride));
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      const i0 = Math.max(0, Math.ceil((x - r) / grid.stride));
      const i1 = Math.min(grid.w - 1, Math.floor((x + r) / grid.stride));
      for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) out[j * grid.w + i] = 1;
    }
  }
  return out;
}
