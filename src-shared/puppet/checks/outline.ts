/**
 * Ground-truth masks from outline polygons (COCO `segmentation`: flat [x0, y0, x1, y1, …] lists in
 * pixels), and intersection over union of two masks.
 */

/** Pixels whose centre lies inside the polygons (even–odd rule over all of them). */
export function fillPolygons(
  polygons: readonly (readonly number[])[],
  width: number,
  height: number,
): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    const xs: number[] = [];
    for (const poly of polygons) {
      const n = Math.floor(poly.length / 2);
      for (let i = 0; i < n; i++) {
        const x0 = poly[2 * i]!;
        const y0 = poly[2 * i + 1]!;
        const x1 = poly[2 * ((i + 1) % n)]!;
        const y1 = poly[2 * ((i + 1) % n) + 1]!;
        if (y0 <= cy !== y1 <= cy) xs.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const to = Math.min(width - 1, Math.floor(xs[k + 1]! - 0.5));
      for (let x = from; x <= to; x++) mask[y * width + x] = 1;
    }
  }
  return mask;
}

export function maskIou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) both++;
    if (a[i] || b[i]) either++;
  }
  return either === 0 ? 1 : both / either;
}
