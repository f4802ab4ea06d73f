/**
 * The character's mask and part map as the studio sees them (`character.mask`): the engine's setup
 * answer plus its mask and part map, encoded as small grey PNGs.
 */
import sharp from 'sharp';
import type { CharacterMaskView } from '#shared/api/characterMask';
import type { CharacterInfo, CharacterLayers } from '#main/engine/client/engineClient';

async function greyPng(values: Uint8Array, width: number, height: number): Promise<string> {
  const png = await sharp(Buffer.from(values.buffer, values.byteOffset, values.byteLength), {
    raw: { width, height, channels: 1 },
  })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
  return png.toString('base64');
}

export async function characterMaskView(
  info: CharacterInfo,
  layers: CharacterLayers,
): Promise<CharacterMaskView> {
  const { width, height } = layers;
  const n = width * height;
  const mask = new Uint8Array(n);
  // Part k is grey level k+1 and background 0, so the PNG reads back without a table.
  const parts = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    mask[i] = layers.mask[i] ? 255 : 0;
    parts[i] = layers.parts[i] === 255 ? 0 : layers.parts[i]! + 1;
  }
  return {
    width,
    height,
    source: info.maskSource,
    pixels: info.maskPixels,
    maskPngBase64: await greyPng(mask, width, height),
    partsPngBase64: await greyPng(parts, width, height),
    layers: info.layers,
    warnings: info.warnings,
    setupMs: info.setupMs,
    ...(info.segmentation ? { segmentation: info.segmentation } : {}),
  };
}
