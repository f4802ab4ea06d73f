/**
 * Renders puppet frames: per pose, the bone maps and crop (pure, src-shared/puppet/frameInputs),
 * one run of the warp graph through the session pool (per-pixel sources and gates), and the
 * picture sampled there and composited over the plate (src-shared/puppet/compositor).
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '#shared/image/rgbImage';
import { BONE_COUNT } from '#shared/puppet/bones';
import { compositePuppet } from '#shared/puppet/compositor';
import { frameInputs } from '#shared/puppet/frameInputs';
import { type PuppetCharacter, checkPose, scalePose } from './puppetCharacter';

export { PUPPET_MODEL_ID } from './puppetCharacter';

/** A rendered frame and the box [x0, y0, x1, y1) outside which it is the plate (the crop). */
export type PuppetFrame = RgbImage & { changed: [number, number, number, number] };

export type RunModel = (feeds: Record<string, ort.Tensor>) => Promise<Record<string, ort.Tensor>>;

const i64 = (values: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);

export async function renderPuppetFrame(
  character: PuppetCharacter,
  pose: Float64Array,
  run: RunModel,
): Promise<PuppetFrame> {
  checkPose(pose, 'pose');
  const { rig, tensors } = character;
  const { width: W, height: H, grid } = rig;
  const inputs = frameInputs(rig, scalePose(pose, character.scale));
  const frame = new Uint8Array(character.plate);
  const [y0, x0, y1, x1] = inputs.crop;
  if (y1 <= y0 || x1 <= x0) return { width: W, height: H, data: frame, changed: [0, 0, 0, 0] };
  const { wc, hc } = inputs.cropGrid;
  const out = await run({
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
  const { grid: sources, gate, cells, parts } = out;
  if (
    sources?.type !== 'float32' ||
    gate?.type !== 'float32' ||
    cells?.type !== 'int64' ||
    parts?.type !== 'float32' ||
    gate.dims[3] !== grid.stride
  )
    throw new Error('puppet warp returned no pixel sources');
  compositePuppet(
    frame,
    W,
    character.picture,
    sources.data as Float32Array,
    gate.data as Float32Array,
    cells.data as BigInt64Array,
    { x0, y0, x1, y1, stride: grid.stride, cellsPerRow: wc - 1 },
    character.sampling,
    { parts: parts.data as Float32Array, forward: inputs.forward.flat() },
  );
  return { width: W, height: H, data: frame, changed: [x0, y0, x1, y1] };
}
