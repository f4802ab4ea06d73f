import { FACE, LEFT_HAND, RIGHT_HAND, type PointRange } from '#shared/pose/skeleton';
import type { PoseFrame } from '#shared/pose/types';
import type { LatentShape } from '#shared/diffusion/latents/latentMath';
import { fitLatentAffine, matchedLatentPoints, pasteAffineLatent } from './latentAffine';
import { nearestReference } from './referenceChoice';
import { warpLatentByBones } from './boneWarp';

/** Parts whose latent is moved with their landmarks (PoseCrafter edits face and hands). */
export const EDITED_PARTS: readonly PointRange[] = [FACE, LEFT_HAND, RIGHT_HAND];

/**
 * PoseCrafter's initial latent for one target frame: the DDIM-inverted latent of the nearest
 * reference frame, with the face and each hand moved by the 6-DOF affine map fitted from the
 * reference's landmarks to the target's and pasted inside the target landmarks' bounding box.
 * A part with fewer than three landmarks in both poses (or collinear ones) is left as is.
 * `editParts: 'body'` also warps every body part with the puppet generator's bone maps.
 */
export function poseCrafterInitialLatent(
  inverted: readonly Float32Array[],
  referencePoses: readonly PoseFrame[],
  target: PoseFrame,
  shape: LatentShape,
  editParts: boolean | 'body' = true,
): { latent: Float32Array; reference: number; editedParts: number } {
  if (inverted.length !== referencePoses.length)
    throw new RangeError('one inverted latent per reference pose');
  const reference = nearestReference(referencePoses, target);
  const source = inverted[reference]!;
  let latent: Float32Array = source.slice();
  let editedParts = 0;
  // 'body': every body part follows the puppet's bone maps first; face and hands refine on top.
  if (editParts === 'body')
    latent = warpLatentByBones(source, shape, referencePoses[reference]!, target).latent;
  if (editParts)
    for (const part of EDITED_PARTS) {
      const { from, to } = matchedLatentPoints(
        referencePoses[reference]!,
        target,
        part,
        shape.width / target.width,
      );
      if (from.length < 3) continue;
      let affine;
      try {
        affine = fitLatentAffine(from, to);
      } catch {
        continue; // collinear landmarks: nothing reliable to move
      }
      latent = pasteAffineLatent(
        source,
        latent,
        shape.channels,
        shape.height,
        shape.width,
        affine,
        to,
      );
      editedParts++;
    }
  return { latent, reference, editedParts };
}
