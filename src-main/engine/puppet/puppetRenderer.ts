/**
 * Renders puppet frames: per pose, the bone maps and crop (pure, src-shared/puppet/frameInputs),
 * one run of the warp graph through the session pool, and the crop pasted into the plate.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../../../src-shared/image/rgbImage';
import { BONE_COUNT } from '../../../src-shared/puppet/bones';
import { frameInputs } from '../../../src-shared/puppet/frameInputs';
import { type PuppetCharacter, checkPose, scalePose } from './puppetCharacter';

export const PUPPET_MODEL_ID = 'puppet-warp';

/**
 * Paints the warped tiles over the plate already in `frame`: out = fg + plate·(1 − a), with fg the
 * premultiplied colour (0..255) and a the coverage. Tiles are stride×stride pixels of the crop's
 * coarse cells, stacked vertically; pixels past the crop are skipped.
 */
export function compositeTiles(
  frame: Uint8Array,
  width: number,
  tiles: Float32Array,
  cells: BigInt64Array,
  at: { x0: number; y0: number; x1: number; y1: number; stride: number; cellsPerRow: number },
): void {
  const { x0, y0, x1, y1, stride: st, cellsPerRow } = at;
  const plane = cells.length * st * st;
  for (let a = 0; a < cells.length; a++) {
    const c = Number(cells[a]!);
    const cx = x0 + (c % cellsPerRow) * st;
    const cy = y0 + Math.floor(c / cellsPerRow) * st;
    for (let v = 0; v < st; v++) {
      const y = cy + v;
      if (y >= y1) break;
      const rowBase = (a * st + v) * st;
      for (let u = 0; u < st; u++) {
        const x = cx + u;
        if (x >= x1) break;
        const t = rowBase + u;
        const alpha = tiles[3 * plane + t]!;
        if (alpha <= 0) continue;
        const o = (y * width + x) * 3;
        const keep = 1 - alpha;
        frame[o] = tiles[t]! + frame[o]! * keep + 0.5;
        frame[o + 1] = tiles[plane + t]! + frame[o + 1]! * keep + 0.5;
        frame[o + 2] = tiles[2 * plane + t]! + frame[o + 2]! * keep + 0.5;
      }
    }
  }
}

export type RunModel = (feeds: Record<string, ort.Tensor>) => Promise<Record<string, ort.Tensor>>;

const i64 = (values: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);

export async function renderPuppetFrame(
  character: PuppetCharacter,
  pose: Float64Array,
  run: RunModel,
): Promise<RgbImage> {
  checkPose(pose, 'pose');
  const { rig, tensors } = character;
  const { width: W, height: H, grid } = rig;
  const inputs = frameInputs(rig, scalePose(pose, character.scale));
  const frame = new Uint8Array(character.plate);
  const [y0, x0, y1, x1] = inputs.crop;
  if (y1 <= y0 || x1 <= x0) return { width: W, height: H, data: frame };
  const { wc, hc } = inputs.cropGrid;
  const out = await run({
    picture: tensors.picture,
    weights: tensors.weights,
    layer_bias: tensors.layerBias,
    picture_to_weight: tensors.pictureToWeight,
    tile_weights: tensors.tileWeights,
    picture_alpha: tensors.pictureAlpha,
    grid_points: new ort.Tensor('float32', inputs.gridPoints, [1, wc * hc, 3]),
    bones_weight: new ort.Tensor('float32', inputs.bonesWeight, [BONE_COUNT, 3, 2]),
    bones_picture: new ort.Tensor('float32', inputs.bonesPicture, [BONE_COUNT, 2, 3]),
    crop_grid_shape: i64([1, 3, hc, wc]),
  });
  const tiles = out.tiles;
  const cells = out.cells;
  if (!tiles || tiles.type !== 'float32' || !cells || cells.type !== 'int64')
    throw new Error('puppet warp returned no tiles');
  const st = grid.stride;
  const count = cells.dims[0]!;
  if (tiles.dims[2] !== count * st || tiles.dims[3] !== st)
    throw new Error(`puppet warp returned ${tiles.dims.join('×')} tiles for ${count} cells`);
  compositeTiles(frame, W, tiles.data as Float32Array, cells.data as BigInt64Array, {
    x0,
    y0,
    x1,
    y1,
    stride: st,
    cellsPerRow: wc - 1,
  });
  return { width: W, height: H, data: frame };
}
