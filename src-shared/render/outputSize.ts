/**
 * The output size a picture asks for: its own size and aspect, never upscaled, within the output
 * limits, with the even sides 4:2:0 / 4:2:2 encoders need. Projects take it when a character picture
 * is set (`project create --picture`, importing a picture in the studio), so a render shows the
 * picture as it is instead of letterboxed and upscaled into a fixed 512² canvas; a size the user
 * typed is kept.
 */
import {
  MAX_OUTPUT_PIXELS,
  MAX_OUTPUT_SIDE,
  MAX_PUPPET_PICTURE_SIDE,
} from '#shared/project/limits';
import type { OutputFormat } from '#shared/project/schema';

export interface Size {
  width: number;
  height: number;
}

/** Smallest side the studio's render settings accept (a smaller picture is shown at this size). */
export const MIN_OUTPUT_SIDE = 16;

/** Encoders with 4:2:0 (H.264, VP9) or 4:2:2 (ProRes) chroma: both sides must be even. */
const EVEN_SIDES: ReadonlySet<OutputFormat> = new Set(['mp4', 'webm', 'prores']);

export function needsEvenSides(format: OutputFormat): boolean {
  return EVEN_SIDES.has(format);
}

/**
 * The picture's size fitted inside the limits (uniform scale ≤ 1: the puppet renders at most
 * MAX_PUPPET_PICTURE_SIDE per side, and more output pixels than it renders would be an upscale),
 * each side rounded down to even when the format needs it. Odd sides lose one pixel column or row,
 * which `fitFrame` absorbs without a black line.
 */
export function outputSizeForPicture(picture: Size, format: OutputFormat): Size {
  const { width, height } = picture;
  if (!(width >= 1 && height >= 1 && Number.isFinite(width) && Number.isFinite(height)))
    throw new RangeError(`picture size ${width}×${height} is not a size`);
  const side = Math.min(MAX_OUTPUT_SIDE, MAX_PUPPET_PICTURE_SIDE);
  const scale = Math.min(
    1,
    side / width,
    side / height,
    Math.sqrt(MAX_OUTPUT_PIXELS / (width * height)),
  );
  const even = needsEvenSides(format);
  const fit = (v: number) => {
    const s = Math.max(MIN_OUTPUT_SIDE, Math.floor(v * scale));
    return even ? s - (s % 2) : s;
  };
  return { width: fit(width), height: fit(height) };
}
