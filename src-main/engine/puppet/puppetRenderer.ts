/**
 * Renders puppet frames: per pose, the bone maps (src-shared/puppet/bones) move the character's
 * mesh and the mesh is rasterized over the plate (src-shared/puppet/meshRaster). Pure TypeScript
 * on the engine's thread: at 512² a frame is a few milliseconds of CPU, less than one ONNX
 * Runtime call used to cost (docs/puppet.md, "Why this deformation").
 */
import type { RgbImage } from '#shared/image/rgbImage';
import { boneTransforms } from '#shared/puppet/bones';
import { type FramePatch, applyFramePatch, pasteBox } from '#shared/puppet/framePatch';
import { renderMeshBox } from '#shared/puppet/meshRaster';
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

/**
 * A rendered frame as the engine sends it: only the box the character was drawn into (outside it
 * the frame is the plate, which the client has from the setup), with the box's coverage.
 */
export type PuppetPatch = FramePatch & { coverage: Uint8Array };

export function renderPuppetPatch(character: PuppetCharacter, pose: Float64Array): PuppetPatch {
  checkPose(pose, 'pose');
  const { width: W, height: H, reference } = character.rig;
  const bones = boneTransforms(reference, scalePose(pose, character.scale));
  const { box, data, coverage } = renderMeshBox(
    character.mesh,
    character.textures,
    bones,
    character.plate,
    W,
    H,
    character.sampling,
  );
  const patch: PuppetPatch = { width: W, height: H, box, data, coverage };
  const plateAlpha = character.plateAlpha;
  if (!plateAlpha) return patch;
  // The frame's alpha is the coverage over the plate's alpha: outside the box, the plate's.
  const [x0, y0, x1, y1] = box;
  const w = x1 - x0;
  const alpha = new Uint8Array(coverage.length);
  for (let y = y0, j = 0; y < y1; y++)
    for (let i = y * W + x0, end = i + w; i < end; i++, j++) {
      const a = coverage[j]!;
      alpha[j] = a + Math.round((plateAlpha[i]! * (255 - a)) / 255);
    }
  return { ...patch, alpha };
}

/** The whole frame (in-process renders and tests): the patch pasted over the plate. */
export function renderPuppetFrame(character: PuppetCharacter, pose: Float64Array): PuppetFrame {
  const patch = renderPuppetPatch(character, pose);
  const frame = applyFramePatch(patch, character.plate, character.plateAlpha);
  const coverage = pasteBox(
    new Uint8Array(patch.width * patch.height),
    patch.coverage,
    patch.width,
    1,
    patch.box,
  );
  return { ...frame, coverage, changed: patch.box };
}
