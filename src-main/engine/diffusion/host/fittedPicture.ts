import type { RgbImage } from '../../../../src-shared/image/rgbImage';

/**
 * Reads a picture fitted (aspect kept, centred on black) onto width × height, as RGB, and its own
 * size (EXIF orientation applied). The same steps as `readFitted` in
 * src-main/services/render/diffusionWorkers.ts (private there; to be shared once it is exported),
 * so a render in the engine sees the very same reference pixels as one in-process.
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
