/**
 * The user's own mask file (white, or opaque where the file has alpha = character), read for a
 * picture of width × height. A mask of another size but the same shape is scaled to the picture
 * (with a warning); everything else that cannot be the mask of this picture is refused with a
 * reason: not a picture, truncated, another aspect ratio, all black, all white.
 */
import { stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import { PictureError } from '#main/engine/puppet/loadPicture';

/** Mask files above this are refused before decoding (a 16k² PNG is far below it). */
const MAX_MASK_BYTES = 256 * 1024 * 1024;
/** Aspect ratios may differ by this much (rounding of a scaled export) and still be scaled. */
const ASPECT_TOLERANCE = 0.02;

export interface UserMask {
  mask: Uint8Array;
  warnings: CharacterWarning[];
}

export async function loadUserMask(path: string, width: number, height: number): Promise<UserMask> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new PictureError(`mask not found: ${path}`);
  if (!info.isFile()) throw new PictureError(`mask ${path} is not a file`);
  if (info.size > MAX_MASK_BYTES)
    throw new PictureError(`mask ${path} is ${info.size} bytes; a mask is at most 256 MB`);
  let meta: Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: 16384 * 16384 }).metadata();
  } catch (e) {
    throw new PictureError(`mask ${path} is not a picture sharp can read (${firstLine(e)})`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const mw = (swap ? meta.height : meta.width) ?? 0;
  const mh = (swap ? meta.width : meta.height) ?? 0;
  if (mw < 1 || mh < 1) throw new PictureError(`mask ${path} has no size`);
  const warnings: CharacterWarning[] = [];
  if (mw !== width || mh !== height) {
    if (Math.abs(mw / mh / (width / height) - 1) > ASPECT_TOLERANCE)
      throw new PictureError(
        `mask ${path} is ${mw}×${mh} but the picture is ${width}×${height}: another shape, so it cannot be this picture's mask`,
      );
    warnings.push({
      code: 'mask-resized',
      message: `the mask is ${mw}×${mh}, the picture ${width}×${height}: the mask was scaled to the picture`,
      fix: 'export the mask at the picture’s size for exact edges',
    });
  }
  let data: Buffer;
  try {
    data = await sharp(path, { limitInputPixels: 16384 * 16384, failOn: 'truncated' })
      .rotate()
      .resize(width, height, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer();
  } catch (e) {
    throw new PictureError(`cannot decode mask ${path} (${firstLine(e)})`);
  }
  const n = width * height;
  const mask = new Uint8Array(n);
  let set = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const lum = (data[o]! + data[o + 1]! + data[o + 2]!) / 3;
    mask[i] = lum >= 128 && data[o + 3]! >= 128 ? 1 : 0;
    set += mask[i]!;
  }
  if (set === 0)
    throw new PictureError(
      `mask ${path} is empty (no white pixel): white marks the character, black the background`,
    );
  if (set === n)
    throw new PictureError(
      `mask ${path} is all white: it marks the whole picture as the character; paint the background black`,
    );
  return { mask, warnings };
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
