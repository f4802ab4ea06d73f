/**
 * Fills where the character was: by Telea's fast marching method (`src-shared/image/inpaint.ts`),
 * smooth, for the parts' hidden areas; or, `textured`, by copying patches of the picture
 * (`src-shared/image/patchInpaint.ts`), for a photo's background plate, where a smooth fill left a
 * flat blot and smeared dark things at the rim across the hole (numbers in docs/puppet.md,
 * "Background plate").
 */
import { inpaintTelea } from '#shared/image/inpaint';
import { inpaintPatches } from '#shared/image/patchInpaint';
import { dilate, shrinkAny } from './mask';

/**
 * Largest side inpainted at full resolution. A 4096² picture's hole has millions of pixels (tens of
 * seconds of marching, 130 MB of distances); the fill is smooth, so it is inpainted on a copy
 * scaled to this side and the hole is sampled from it bilinearly (known pixels stay exact).
 */
export const INPAINT_MAX_SIDE = 1024;

export interface FillOptions {
  /**
   * Known pixels this close to the hole (px) are not used as sources, though they keep their values
   * in the result: a mask a pixel or two off leaves the character's edge colours there, which would
   * otherwise be carried into the whole fill. Default 0 (every known pixel is trusted).
   */
  ignoreRing?: number;
  /** Inpainting radius (px); default 3 (as OpenCV's examples). */
  radius?: number;
  /**
   * Copy the surroundings' texture into the hole (`inpaintPatches`: a photo's plate, where snow or
   * grass must not come out as a smooth smear) instead of Telea's smooth fill (default: false).
   */
  textured?: boolean;
  /** With `textured`: known pixels not to copy from (1), e.g. other people in a photo. */
  avoid?: Uint8Array;
}

/**
 * Fills the pixels where `known` is 0 from the rest. `rgb` is width × height × 3 (any scale,
 * 0–1 in the puppet); known pixels come back unchanged.
 */
export function fillBackground(
  rgb: Float32Array,
  known: Uint8Array,
  width: number,
  height: number,
  options: FillOptions = {},
): Float32Array {
  const n = width * height;
  const hole = new Uint8Array(n);
  for (let i = 0; i < n; i++) hole[i] = known[i] ? 0 : 1;
  const ring = Math.max(0, Math.round(options.ignoreRing ?? 0));
  const grown = ring > 0 ? dilate(hole, width, height, ring) : hole;
  // A ring that would swallow every known pixel leaves nothing to fill from: trust the ring then.
  let anyKnown = false;
  for (let i = 0; i < n && !anyKnown; i++) anyKnown = grown[i] === 0;
  const filled = inpaintAtMostSide(rgb, anyKnown ? grown : hole, width, height, {
    radius: options.radius ?? 3,
    textured: options.textured ?? false,
    ...(options.avoid ? { avoid: options.avoid } : {}),
  });
  if (grown === hole || !anyKnown) return filled;
  // The ring's own pixels are known: they keep the picture's values.
  for (let i = 0; i < n; i++)
    if (!hole[i]) for (let c = 0; c < 3; c++) filled[i * 3 + c] = rgb[i * 3 + c]!;
  return filled;
}

/** `inpaintTelea` on a copy no larger than INPAINT_MAX_SIDE per side, sampled back into the hole. */
function inpaintAtMostSide(
  rgb: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  options: { radius: number; textured: boolean; avoid?: Uint8Array },
): Float32Array {
  const inpaint = (
    pixels: Float32Array,
    unknown: Uint8Array,
    w: number,
    h: number,
    avoid: Uint8Array | undefined,
  ) =>
    options.textured
      ? inpaintPatches(pixels, unknown, w, h, avoid ? { avoid } : {})
      : inpaintTelea(pixels, unknown, w, h, { radius: options.radius });
  const k = Math.ceil(Math.max(width, height) / INPAINT_MAX_SIDE);
  if (k <= 1) return inpaint(rgb, hole, width, height, options.avoid);
  const w = Math.ceil(width / k);
  const h = Math.ceil(height / k);
  // A small pixel is known only when every picture pixel under it is: no hole colour leaks in.
  const small = new Float32Array(w * h * 3);
  const smallHole = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let count = 0;
      let unknown = false;
      for (let v = y * k; v < Math.min(height, (y + 1) * k) && !unknown; v++)
        for (let u = x * k; u < Math.min(width, (x + 1) * k); u++) {
          const i = v * width + u;
          if (hole[i]) {
            unknown = true;
            break;
          }
          r += rgb[i * 3]!;
          g += rgb[i * 3 + 1]!;
          b += rgb[i * 3 + 2]!;
          count++;
        }
      const j = y * w + x;
      if (unknown || count === 0) smallHole[j] = 1;
      else small.set([r / count, g / count, b / count], j * 3);
    }
  const fill = inpaint(
    small,
    smallHole,
    w,
    h,
    options.avoid && shrinkAny(options.avoid, width, height, k),
  );
  const out = new Float32Array(rgb);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / k - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / k - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++)
        out[i * 3 + c] =
          (fill[(y0 * w + x0) * 3 + c]! * (1 - fx) + fill[(y0 * w + x1) * 3 + c]! * fx) * (1 - fy) +
          (fill[(y1 * w + x0) * 3 + c]! * (1 - fx) + fill[(y1 * w + x1) * 3 + c]! * fx) * fy;
    }
  }
  return out;
}
