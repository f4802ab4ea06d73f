import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { renderConditioning, type ConditioningOptions } from './conditioning';
import type { PoseFrame } from './types';

/**
 * A contact sheet: every `every`-th frame drawn as its conditioning image, tiled left to right and
 * top to bottom with a grey line between tiles — to see a whole motion at a glance.
 */
export interface ContactSheet {
  image: RgbImage;
  /** Index of the frame drawn in each tile, in tile order. */
  frames: number[];
  columns: number;
}

/** More tiles than this make a sheet nobody can read: ask for a larger step instead. */
export const MAX_SHEET_TILES = 400;
const GAP = 4;

export function contactSheet(
  frames: readonly PoseFrame[],
  every: number,
  options: ConditioningOptions = {},
): ContactSheet {
  if (!Number.isInteger(every) || every < 1)
    throw new RangeError(`the step between frames must be a whole number ≥ 1, got ${every}`);
  const picked: number[] = [];
  for (let i = 0; i < frames.length; i += every) picked.push(i);
  if (picked.length === 0) throw new RangeError('no frame to draw');
  if (picked.length > MAX_SHEET_TILES)
    throw new RangeError(
      `${picked.length} tiles is more than ${MAX_SHEET_TILES}: draw every ${Math.ceil(frames.length / MAX_SHEET_TILES)}th frame or more`,
    );
  const { width: w, height: h } = frames[0]!;
  const columns = Math.ceil(Math.sqrt(picked.length));
  const rows = Math.ceil(picked.length / columns);
  const sheet = createRgbImage(columns * (w + GAP) - GAP, rows * (h + GAP) - GAP);
  sheet.data.fill(96);
  const tile = createRgbImage(w, h);
  picked.forEach((f, k) => {
    const frame = frames[f]!;
    if (frame.width !== w || frame.height !== h)
      throw new RangeError(`frame ${f} is ${frame.width}×${frame.height}, frame 0 is ${w}×${h}`);
    renderConditioning(frame, options, tile);
    const x0 = (k % columns) * (w + GAP);
    const y0 = Math.floor(k / columns) * (h + GAP);
    for (let y = 0; y < h; y++)
      sheet.data.set(
        tile.data.subarray(y * w * 3, (y + 1) * w * 3),
        ((y0 + y) * sheet.width + x0) * 3,
      );
  });
  return { image: sheet, frames: picked, columns };
}
