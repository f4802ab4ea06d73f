import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { placePicture, pictureToCanvas, type Size } from '#shared/geometry/pictureCanvas';

/**
 * "Fit into the output canvas": a pose track, a character picture and a generator's frames may
 * each have their own size. Everything is scaled uniformly (aspect kept) and centred — the one
 * placement of `#shared/geometry/pictureCanvas` — so poses (`fitCanvas`) and pictures
 * (`fitFrame`) land in the same place.
 */

/** Scales pose points (x, y, confidence triples) from one canvas onto another, centred. */
export function fitCanvas(points: Float64Array, from: Size, to: Size): Float64Array {
  if (from.width === to.width && from.height === to.height) return points;
  return pictureToCanvas(points, placePicture(from, to));
}

/**
 * Scales a frame to fit inside width × height (aspect kept, bilinear), centred on black (and on
 * transparent when the frame has an alpha plane). Used when
 * a generator renders at the character picture's size and the output has another size. Returns
 * the frame itself when the sizes already match.
 */
export function fitFrame(src: RgbImage, width: number, height: number): RgbImage {
  if (src.width === width && src.height === height) return src;
  const placement = placePicture(src, { width, height });
  if (!placement)
    throw new RangeError(`cannot fit a ${src.width}×${src.height} frame into ${width}×${height}`);
  const out = createRgbImage(width, height);
  const { scale } = placement;
  // An output that is the picture at one scale to within a pixel per side (an odd picture in its
  // even output, `outputSizeForPicture`, lost one column or row) is filled edge to edge, stretched
  // by under a pixel: a letterbox there would be a one-pixel black line.
  const lo = Math.max((width - 1) / src.width, (height - 1) / src.height);
  const hi = Math.min((width + 1) / src.width, (height + 1) / src.height);
  const fill = lo <= hi;
  const w = fill ? width : Math.max(1, Math.round(src.width * scale));
  const h = fill ? height : Math.max(1, Math.round(src.height * scale));
  // Source pixels per output pixel on each axis.
  const sx = fill ? src.width / width : 1 / scale;
  const sy = fill ? src.height / height : 1 / scale;
  // Whole pixels: the picture's corner is rounded to a pixel, less than one off fitCanvas's.
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  const sd = src.data;
  // The alpha plane goes the same way; the letterbox around the picture is transparent.
  const sa = src.alpha;
  const oa = sa ? new Uint8Array(width * height) : undefined;
  if (oa) out.alpha = oa;
  for (let y = 0; y < h; y++) {
    const v = Math.min(src.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(v);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const fy = v - y0;
    for (let x = 0; x < w; x++) {
      const u = Math.min(src.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(u);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const fx = u - x0;
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
      if (sa && oa) {
        const i0 = y0 * src.width;
        const i1 = y1 * src.width;
        oa[(oy + y) * width + ox + x] = Math.round(
          (sa[i0 + x0]! * (1 - fx) + sa[i0 + x1]! * fx) * (1 - fy) +
            (sa[i1 + x0]! * (1 - fx) + sa[i1 + x1]! * fx) * fy,
        );
      }
    }
  }
  return out;
}
