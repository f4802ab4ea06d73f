import sharp from 'sharp';
import type { RgbImage } from '#shared/image/rgbImage';

/** A small JPEG data URL of a frame for progress events (a few KB). */
export async function thumbnailDataUrl(frame: RgbImage, maxSide = 128): Promise<string> {
  const jpeg = await sharp(
    Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.length),
    {
      raw: { width: frame.width, height: frame.height, channels: 3 },
    },
  )
    .resize(maxSide, maxSide, { fit: 'inside' })
    .jpeg({ quality: 70 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
