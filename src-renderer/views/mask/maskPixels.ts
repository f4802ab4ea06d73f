/**
 * Mask pixels in the page: a mask PNG (white = character) from the API to one byte per pixel, back
 * to a PNG for `character.importMask`, and the overlay's colours for a rectangle of it. The
 * browser's own decoder and encoder do the PNG work (no library in the renderer).
 */
import type { MaskRect } from '#shared/mask/maskBrush';

/** Decodes a base64 PNG mask to 1 (character) / 0 per pixel, at its own size. */
export async function decodeMask(
  pngBase64: string,
): Promise<{ mask: Uint8Array; width: number; height: number }> {
  const bytes = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot read the mask');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = rgba[i * 4]! >= 128 ? 1 : 0;
  return { mask, width, height };
}

/** Encodes a mask as a PNG (white = character on black), base64 without the data-URL prefix. */
export async function encodeMask(mask: Uint8Array, width: number, height: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot write the mask');
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 255 : 0;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const buf = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000)
    s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Overlay colour where the picture is not the character: a dark violet veil (RGBA). */
export const VEIL: readonly [number, number, number, number] = [28, 8, 48, 165];
/** The outline just outside the character, so its edge reads on any picture (RGBA). */
export const OUTLINE: readonly [number, number, number, number] = [64, 224, 255, 255];

/**
 * Draws a rectangle of the mask as the overlay: the character clear (the picture shows through),
 * everything else veiled, and the background pixels touching the character outlined, so what the
 * puppet will cut out is what stays bright. A stroke's rectangle is grown by one pixel, since
 * painting changes the outline just beyond it.
 */
export function drawMaskRect(
  ctx: CanvasRenderingContext2D,
  mask: Uint8Array,
  width: number,
  rect: MaskRect,
): void {
  const height = mask.length / width;
  const x0 = Math.max(0, rect.x0 - 1);
  const y0 = Math.max(0, rect.y0 - 1);
  const x1 = Math.min(width, rect.x1 + 1);
  const y1 = Math.min(height, rect.y1 + 1);
  const w = x1 - x0;
  const h = y1 - y0;
  if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0 || w <= 0 || h <= 0) return;
  const img = ctx.createImageData(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const px = x0 + x;
      const py = y0 + y;
      const i = py * width + px;
      if (mask[i]) continue;
      const edge =
        (px > 0 && mask[i - 1]) ||
        (px < width - 1 && mask[i + 1]) ||
        (py > 0 && mask[i - width]) ||
        (py < height - 1 && mask[i + width]);
      const [r, g, b, a] = edge ? OUTLINE : VEIL;
      const o = (y * w + x) * 4;
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = a;
    }
  ctx.putImageData(img, x0, y0);
}
