/**
 * Which part owns each pixel of the character (the layer map the studio shows): the mesh's own
 * part labels (`partLabels`, the nearest bone geodesically through the character), read at each
 * mask pixel's cell, so the map shows exactly the parts the mesh is cut into. Background pixels,
 * and mask pixels no bone's wave reached, get NO_PART.
 */
import { type PartLabels, labelCell } from './partLabels';

export const NO_PART = 255;

export function partMap(
  mask: Uint8Array,
  labels: PartLabels,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height).fill(NO_PART);
  // Outside the labels' grid no pixel has a part: only the grid's box is read.
  const x1 = Math.min(width, labels.x0 + labels.w * labels.scale);
  const y1 = Math.min(height, labels.y0 + labels.h * labels.scale);
  for (let y = Math.max(0, labels.y0); y < y1; y++)
    for (let x = Math.max(0, labels.x0); x < x1; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const c = labelCell(labels, x, y);
      const k = c >= 0 ? labels.first[c]! : -1;
      if (k >= 0) out[i] = k;
    }
  return out;
}
