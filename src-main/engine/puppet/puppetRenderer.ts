/**
 * Renders puppet frames: per pose, the bone maps (src-shared/puppet/bones) move the character's
 * mesh and the mesh is rasterized over the plate (src-shared/puppet/meshRaster). Pure TypeScript
 * on the engine's thread: at 512² a frame is a few milliseconds of CPU, less than one ONNX
 * Runtime call used to cost (docs/puppet.md, "Why this deformation").
 */
import type { RgbImage } from '#shared/image/rgbImage';
import { boneTransforms } from '#shared/puppet/bones';
import { renderMesh } from '#shared/puppet/meshRaster';
import { type PuppetCharacter, checkPose, scalePose } from './puppetCharacter';

/**
 * A rendered frame, the box [x0, y0, x1, y1) outside which it is the plate, and the character's
 * coverage per pixel (0–255; 0 outside the box), for output with a transparent background.
 */
export type PuppetFrame = RgbImage & {
  changed: [number, number, number, number];
  alpha: Uint8Array;
};

export function renderPuppetFrame(character: PuppetCharacter, pose: Float64Array): PuppetFrame {
  checkPose(pose, 'pose');
  const { width: W, height: H, reference } = character.rig;
  const bones = boneTransforms(reference, scalePose(pose, character.scale));
  const frame = renderMesh(
    character.mesh,
    character.textures,
    bones,
    character.plate,
    W,
    H,
    character.sampling,
  );
  return { width: W, height: H, data: frame.data, alpha: frame.alpha, changed: frame.changed };
}
