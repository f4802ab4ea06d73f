/** Contact sheets of rendered frames: tiles left to right, as the anchor sheet is laid out. */
import sharp from 'sharp';
import type { RgbImage } from '#shared/image/rgbImage';

/** Frames resized to `tile` px high (aspect kept), side by side on white; returns the PNG path. */
export async function writeSheet(
  path: string,
  frames: readonly RgbImage[],
  tile = 256,
): Promise<string> {
  const tiles = await Promise.all(
    frames.map(async (f) => {
      const w = Math.max(1, Math.round((f.width * tile) / f.height));
      return {
        w,
        png: await sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } })
          .resize(w, tile, { kernel: 'lanczos3' })
          .png()
          .toBuffer(),
      };
    }),
  );
  const gap = 4;
  const width = tiles.reduce((s, t) => s + t.w, 0) + gap * (tiles.length - 1);
  let left = 0;
  const composite = tiles.map((t) => {
    const c = { input: t.png, left, top: 0 };
    left += t.w + gap;
    return c;
  });
  await sharp({ create: { width, height: tile, channels: 3, background: '#d0d0d0' } })
    .composite(composite)
    .png()
    .toFile(path);
  return path;
}

/** Sheets stacked top to bottom (e.g. the anchor's above ours), on white. */
export async function stackSheets(path: string, sheets: readonly string[]): Promise<void> {
  const metas = await Promise.all(sheets.map((s) => sharp(s).metadata()));
  const width = Math.max(...metas.map((m) => m.width ?? 0));
  let top = 0;
  const composite = sheets.map((s, i) => {
    const c = { input: s, left: 0, top };
    top += (metas[i]!.height ?? 0) + 8;
    return c;
  });
  await sharp({ create: { width, height: top - 8, channels: 3, background: '#ffffff' } })
    .composite(composite)
    .png()
    .toFile(path);
}
