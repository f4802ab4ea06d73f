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
    background: tensors.background,
    weights: tensors.weights,
    layer_bias: tensors.layerBias,
    grid_points: new ort.Tensor('float32', inputs.gridPoints, [1, wc * hc, 3]),
    bones_weight: new ort.Tensor('float32', inputs.bonesWeight, [BONE_COUNT, 3, 2]),
    bones_picture: new ort.Tensor('float32', inputs.bonesPicture, [BONE_COUNT, 2, 3]),
    picture_to_weight: character.tensors.pictureToWeight,
    crop_box: i64([y0, x0, y1, x1]),
    crop_grid_shape: i64([1, 3, hc, wc]),
    upsample_size: i64([1, 3, (hc - 1) * grid.stride + 1, (wc - 1) * grid.stride + 1]),
  });
  const crop = out.frame_crop;
  if (!crop || crop.type !== 'uint8') throw new Error('puppet warp returned no uint8 frame_crop');
  const cw = x1 - x0;
  const ch = y1 - y0;
  if (crop.dims[1] !== ch || crop.dims[2] !== cw)
    throw new Error(`puppet warp returned a ${crop.dims.join('×')} crop, expected ${ch}×${cw}`);
  const src = crop.data as Uint8Array;
  for (let y = 0; y < ch; y++)
    frame.set(src.subarray(y * cw * 3, (y + 1) * cw * 3), ((y0 + y) * W + x0) * 3);
  return { width: W, height: H, data: frame };
}
