/**
 * Reads a character picture (PNG, JPEG, WebP, … anything sharp decodes) as 8-bit sRGB RGBA.
 * Grayscale and CMYK JPEGs are converted to sRGB; EXIF orientation is applied. Pictures larger
 * than MAX_SIDE on their long side are downscaled (poses are scaled to match by the caller).
 */
import { access } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { MAX_PUPPET_PICTURE_SIDE } from '#shared/project/limits';
import type { Rgba } from '#shared/puppet/mask';

export const MAX_SIDE = MAX_PUPPET_PICTURE_SIDE;
export const MIN_SIDE = 8;

export interface LoadedPicture extends Rgba {
  /** Picture pixels → loaded pixels (1 unless the picture was downscaled). */
  scale: number;
  originalWidth: number;
  originalHeight: number;
  hasAlphaChannel: boolean;
  /** The file's format as sharp names it (jpeg, png, webp, heif, …). */
  format: string;
}

export class PictureError extends Error {
  override name = 'PictureError';
}

export async function loadPicture(path: string): Promise<LoadedPicture> {
  try {
    await access(path);
  } catch {
    throw new PictureError(`picture not found: ${path}`);
  }
  let meta: Metadata;
  try {
    // limitInputPixels guards against decompression bombs; 8k × 8k is allowed and downscaled.
    meta = await sharp(path, { limitInputPixels: 16384 * 16384 }).metadata();
  } catch (e) {
    throw new PictureError(`cannot read picture ${path}: ${(e as Error).message}`);
  }
  if (!meta.width || !meta.height) throw new PictureError(`picture ${path} has no size`);
  // Orientation 5–8 swaps width and height once rotated.
  const swap = (meta.orientation ?? 1) >= 5;
  const ow = swap ? meta.height : meta.width;
  const oh = swap ? meta.width : meta.height;
  if (ow < MIN_SIDE || oh < MIN_SIDE)
    throw new PictureError(
      `picture ${path} is ${ow}×${oh}; at least ${MIN_SIDE}×${MIN_SIDE} is needed`,
    );
  const scale = Math.min(1, MAX_SIDE / Math.max(ow, oh));
  try {
    let img = sharp(path, { limitInputPixels: 16384 * 16384 })
      .rotate()
      .toColorspace('srgb');
    if (scale < 1)
      img = img.resize(Math.max(1, Math.round(ow * scale)), Math.max(1, Math.round(oh * scale)), {
        fit: 'fill',
      });
    const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded ${info.channels} channels, expected 4`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      scale: info.width / ow,
      originalWidth: ow,
      originalHeight: oh,
      hasAlphaChannel: Boolean(meta.hasAlpha),
      format: meta.format ?? 'unknown',
    };
  } catch (e) {
    throw new PictureError(`cannot decode picture ${path}: ${(e as Error).message}`);
  }
}
