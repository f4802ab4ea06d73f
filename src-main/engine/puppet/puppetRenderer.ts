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
 * A rendered frame, the box [x0, y0, x1, y1) outside which it is the plate, the character's
 * coverage per pixel (0–255; 0 outside the box), and — only when the character's background is
 * transparent (PuppetCharacter.plateAlpha) — the frame's `alpha`: the coverage over the plate's.
 */
export type PuppetFrame = RgbImage & {
  changed: [number, number, number, number];
  coverage: Uint8Array;
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
  const out: PuppetFrame = {
    width: W,
    height: H,
    data: frame.data,
    coverage: frame.alpha,
    changed: frame.changed,
  };
  const plateAlpha = character.plateAlpha;
  if (!plateAlpha) return out;
  const alpha = new Uint8Array(plateAlpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const a = frame.alpha[i]!;
    alpha[i] = a + Math.round((plateAlpha[i]! * (255 - a)) / 255);
  }
  return { ...out, alpha };
}
