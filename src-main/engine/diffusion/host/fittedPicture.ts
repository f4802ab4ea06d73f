import type { RgbImage } from '#shared/image/rgbImage';

/**
 * Reads a picture fitted (aspect kept, centred on black) onto width × height, as RGB, and its own
 * size (EXIF orientation applied). Used by the engine's diffusion host and the tests'
 * in-process diffusion workers alike, so both see the very same reference pixels.
 */
export async function readFittedPicture(
  file: string,
  width: number,
  height: number,
): Promise<{ image: RgbImage; picture: { width: number; height: number } }> {
  const { default: sharp } = await import('sharp');
  const oriented = sharp(file).rotate();
  const { info } = await oriented.clone().raw().toBuffer({ resolveWithObject: true });
  const { data } = await oriented
    .removeAlpha()
    .resize(width, height, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    image: { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) },
    picture: { width: info.width, height: info.height },
  };
}
