/**
 * Frame differences the coherence report is built from. All are in grey levels (0…255 scale) and
 * taken on equally sized arrays (two frames' bytes, or two thumbnails).
 */

/** Mean |a − b| over every value (every channel of every pixel or cell). 0 for empty arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`frames differ in size: ${a.length} and ${b.length} values`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return a.length ? sum / a.length : 0;
}

/** Rec. 709 luma of RGB cells (3 values per cell), on the gamma-encoded values as video uses. */
export function lumaOf(cells: Float32Array): Float32Array {
  const n = cells.length / 3;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++)
    out[k] = 0.2126 * cells[k * 3]! + 0.7152 * cells[k * 3 + 1]! + 0.0722 * cells[k * 3 + 2]!;
  return out;
}

/** Mean of (a − b)² over every value: the energy of a frame-to-frame change. */
export function meanSquaredDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return a.length ? sum / a.length : 0;
}

/**
 * Energy of the second temporal difference x_t − 2·x_{t−1} + x_{t−2}, per value: the
 * high-frequency part of the change. Steady motion (a linear change) gives 0; a brightness that
 * alternates by ±a from frame to frame gives (4a)².
 */
export function meanSquaredSecondDiff(
  older: Float32Array,
  previous: Float32Array,
  current: Float32Array,
): number {
  let sum = 0;
  for (let i = 0; i < current.length; i++) {
    const d = current[i]! - 2 * previous[i]! + older[i]!;
    sum += d * d;
  }
  return current.length ? sum / current.length : 0;
}
