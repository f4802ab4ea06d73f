import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';

/**
 * Scales a frame to fit inside width × height (aspect kept, bilinear), centred on black. Used when
 * a generator renders at the character picture's size and the output has another size. Returns
 * the frame itself when the sizes already match.
 */
export function fitFrame(src: RgbImage, width: number, height: number): RgbImage {
  if (src.width === width && src.height === height) return src;
  const out = createRgbImage(width, height);
  const scale = Math.min(width / src.width, height / src.height);
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  const sd = src.data;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(src.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(src.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const fx = sx - x0;
      const o = ((oy + y) * width + ox + x) * 3;
      for (let c = 0; c < 3; c++) {
        const a = sd[(y0 * src.width + x0) * 3 + c]!;
        const b = sd[(y0 * src.width + x1) * 3 + c]!;
        const d = sd[(y1 * src.width + x0) * 3 + c]!;
        const e = sd[(y1 * src.width + x1) * 3 + c]!;
        out.data[o + c] = Math.round(
          (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy,
        );
      }
    }
  }
  return out;
}
