/**
 * The background fill the puppet used before Telea inpainting (push–pull diffusion of the
 * surrounding colours), kept only so `bench:plate` can show before and after side by side.
 */
export function pushPullFill(
  rgb: Float32Array,
  known: Uint8Array,
  width: number,
  height: number,
): Float32Array {
  // Level 0: premultiplied colour sums and weights.
  type Level = { w: number; h: number; c: Float32Array; a: Float32Array };
  const levels: Level[] = [];
  let cur: Level = {
    w: width,
    h: height,
    c: new Float32Array(width * height * 3),
    a: new Float32Array(width * height),
  };
  for (let i = 0; i < width * height; i++) {
    if (!known[i]) continue;
    cur.a[i] = 1;
    cur.c[i * 3] = rgb[i * 3]!;
    cur.c[i * 3 + 1] = rgb[i * 3 + 1]!;
    cur.c[i * 3 + 2] = rgb[i * 3 + 2]!;
  }
  levels.push(cur);
  while (cur.w > 1 || cur.h > 1) {
    const w = Math.ceil(cur.w / 2);
    const h = Math.ceil(cur.h / 2);
    const next: Level = { w, h, c: new Float32Array(w * h * 3), a: new Float32Array(w * h) };
    for (let y = 0; y < cur.h; y++)
      for (let x = 0; x < cur.w; x++) {
        const i = y * cur.w + x;
        const a = cur.a[i]!;
        if (a === 0) continue;
        const j = (y >> 1) * w + (x >> 1);
        next.a[j] = next.a[j]! + a;
        next.c[j * 3] = next.c[j * 3]! + cur.c[i * 3]!;
        next.c[j * 3 + 1] = next.c[j * 3 + 1]! + cur.c[i * 3 + 1]!;
        next.c[j * 3 + 2] = next.c[j * 3 + 2]! + cur.c[i * 3 + 2]!;
      }
    // Normalise so each level holds plain colours with weight ≤ 1.
    for (let j = 0; j < w * h; j++) {
      const a = next.a[j]!;
      if (a > 0) {
        next.c[j * 3] = next.c[j * 3]! / a;
        next.c[j * 3 + 1] = next.c[j * 3 + 1]! / a;
        next.c[j * 3 + 2] = next.c[j * 3 + 2]! / a;
        next.a[j] = Math.min(1, a);
      }
    }
    levels.push(next);
    cur = next;
  }
  // Level 0 colours are plain already (weights are 0 or 1). Pull: fill from the coarser level.
  for (let l = levels.length - 2; l >= 0; l--) {
    const fine = levels[l]!;
    const coarse = levels[l + 1]!;
    for (let y = 0; y < fine.h; y++)
      for (let x = 0; x < fine.w; x++) {
        const i = y * fine.w + x;
        const a = fine.a[i]!;
        if (a >= 1) continue;
        // Bilinear sample of the coarse level at this pixel's centre.
        const cx = Math.min(coarse.w - 1, Math.max(0, (x - 0.5) / 2));
        const cy = Math.min(coarse.h - 1, Math.max(0, (y - 0.5) / 2));
        const x0 = Math.floor(cx);
        const y0 = Math.floor(cy);
        const x1 = Math.min(coarse.w - 1, x0 + 1);
        const y1 = Math.min(coarse.h - 1, y0 + 1);
        const fx = cx - x0;
        const fy = cy - y0;
        for (let ch = 0; ch < 3; ch++) {
          const v =
            (coarse.c[(y0 * coarse.w + x0) * 3 + ch]! * (1 - fx) +
              coarse.c[(y0 * coarse.w + x1) * 3 + ch]! * fx) *
              (1 - fy) +
            (coarse.c[(y1 * coarse.w + x0) * 3 + ch]! * (1 - fx) +
              coarse.c[(y1 * coarse.w + x1) * 3 + ch]! * fx) *
              fy;
          fine.c[i * 3 + ch] = fine.c[i * 3 + ch]! * a + v * (1 - a);
        }
        fine.a[i] = 1;
      }
  }
  return levels[0]!.c;
}
