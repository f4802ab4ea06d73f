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
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const c = labelCell(labels, x, y);
      const k = c >= 0 ? labels.first[c]! : -1;
      if (k >= 0) out[i] = k;
    }
  return out;
}
