/**
 * Person boxes for the built-in extractor's multi-person path: the object detector's "person"
 * boxes, de-duplicated (NMS, and a box lying mostly inside a stronger one — a head or a limb
 * detected on its own — is dropped), and the square crop each body is posed in.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import type { Box } from './affine';
import { nms, type Detection } from './yolox';

function containedFraction(inner: Box, outer: Box): number {
  const ix = Math.max(0, Math.min(inner[2], outer[2]) - Math.max(inner[0], outer[0]));
  const iy = Math.max(0, Math.min(inner[3], outer[3]) - Math.max(inner[1], outer[1]));
  const area = (inner[2] - inner[0]) * (inner[3] - inner[1]);
  return area > 0 ? (ix * iy) / area : 1;
}

export function distinctPeople(
  dets: readonly Detection[],
  minScore: number,
  max: number,
): Detection[] {
  const kept: Detection[] = [];
  for (const d of nms(
    dets.filter((d) => d.score >= minScore),
    0.5,
  )) {
    if (kept.some((k) => containedFraction(d.box, k.box) > 0.7)) continue;
    kept.push(d);
    if (kept.length === max) break;
  }
  return kept;
}

/**
 * A square crop around a person box (side = 1.25 × the longer edge), pixels outside the picture
 * grey. Returns the crop and where its top-left lies in the picture.
 */
export function squareCrop(
  image: RgbImage,
  box: Box,
  padding = 1.25,
): { crop: RgbImage; x0: number; y0: number } {
  const side = Math.max(2, Math.round(Math.max(box[2] - box[0], box[3] - box[1]) * padding));
  const x0 = Math.floor((box[0] + box[2]) / 2 - side / 2 + 0.5);
  const y0 = Math.floor((box[1] + box[3]) / 2 - side / 2 + 0.5);
  const data = new Uint8Array(side * side * 3).fill(128);
  const { width: W, height: H } = image;
  const xs = Math.max(0, x0);
  const xe = Math.min(W, x0 + side);
  for (let y = Math.max(0, y0); y < Math.min(H, y0 + side); y++) {
    if (xe <= xs) break;
    data.set(
      image.data.subarray((y * W + xs) * 3, (y * W + xe) * 3),
      ((y - y0) * side + (xs - x0)) * 3,
    );
  }
  return { crop: { width: side, height: side, data }, x0, y0 };
}
