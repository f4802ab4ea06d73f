/**
 * A packed 8-bit RGB picture, row-major, no padding: pixel (x, y) starts at (y * width + x) * 3.
 * The one frame format passed between the conditioning renderer, generators and the encoder
 * (ffmpeg reads it as `-pix_fmt rgb24`). RGB order, never BGR: pose ControlNets expect RGB.
 */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
  /**
   * Optional opacity per pixel (width × height, 0 transparent … 255 opaque): a cut-out character
   * over a transparent background. `data` is then the frame composited over the plate, so a format
   * without alpha (H.264) simply ignores this plane; PNG, ProRes 4444 and VP9 keep it.
   */
  alpha?: Uint8Array;
}

export function createRgbImage(width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`image size must be positive whole numbers, got ${width}×${height}`);
  return { width, height, data: new Uint8Array(width * height * 3) };
}
