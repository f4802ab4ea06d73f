/**
 * Checks a mask PNG the user imports in the studio before it is copied into the project: a PNG
 * (by its signature, not its name), complete, the picture's shape (any size: the engine scales it,
 * with a warning), and neither all black nor all white. Each refusal says what to do.
 */
import sharp from 'sharp';
import { ApiError } from '#shared/api/index';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Aspect ratios may differ this much (rounding of a scaled export), as the engine allows. */
const ASPECT_TOLERANCE = 0.02;

export async function checkMaskPng(
  fileName: string,
  bytes: Uint8Array,
  picture: { width: number; height: number },
): Promise<void> {
  const refuse = (message: string, hint: string) => new ApiError('bad-request', message, hint);
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b))
    throw refuse(`${fileName} is not a PNG file`, 'Save the mask as PNG (white = character).');
  let grey: Buffer;
  let width: number;
  let height: number;
  let channels: number;
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: 16384 * 16384,
      failOn: 'truncated',
    })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    grey = data;
    ({ width, height, channels } = info);
  } catch (e) {
    throw refuse(
      `${fileName} cannot be read as a PNG (${(e as Error).message.split('\n')[0]})`,
      'The file may be cut short: export the mask again.',
    );
  }
  if (
    picture.width > 0 &&
    picture.height > 0 &&
    Math.abs(width / height / (picture.width / picture.height) - 1) > ASPECT_TOLERANCE
  )
    throw refuse(
      `${fileName} is ${width}×${height} but the picture is ${picture.width}×${picture.height}`,
      'Export the mask from the same picture, at its size.',
    );
  // White and opaque = character, as the engine reads it.
  let white = 0;
  const total = width * height;
  for (let i = 0; i < total; i++) {
    const o = i * channels;
    if (grey[o]! >= 128 && (channels < 2 || grey[o + channels - 1]! >= 128)) white++;
  }
  if (white === 0)
    throw refuse(`${fileName} is all black: it marks no character`, 'Paint the character white.');
  if (white === total)
    throw refuse(
      `${fileName} is all white: it marks the whole picture as the character`,
      'Paint the background black.',
    );
}
