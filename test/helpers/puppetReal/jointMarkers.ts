/**
 * A joint marker as the real-picture checks count it (drawings, evaluate.ts; photos, photos.ts):
 * found in the frame, or, when it is out of the limit with no ghost copy, in the same mesh drawn in
 * another order (each side's limbs in front of the other's, then both arms behind the body). A
 * limb drawn in front hides the joint behind it, which says nothing about where the joint went.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import type { MarkerFound } from '#shared/puppet/checks/markers';
import { LIMITS } from './thresholds';

export async function findJointMarker(
  find: (frames: RgbImage[]) => MarkerFound,
  frames: RgbImage[],
  /** The same frames with the parts in another order: 0 the other side in front, 1 arms behind. */
  reordered: (n: 0 | 1) => Promise<RgbImage[]>,
): Promise<{ found: MarkerFound; hidden: boolean }> {
  let found = find(frames);
  let hidden = false;
  for (const n of [0, 1] as const) {
    if (found.error <= LIMITS.markerError || found.ghostPixels > 0) break;
    const behind = find(await reordered(n));
    if (behind.error <= LIMITS.markerError && behind.ghostPixels === 0) {
      found = behind;
      hidden = true;
    }
  }
  return { found, hidden };
}

/** Over the limit: too far from its joint, or copied elsewhere. */
export const markerFails = (found: MarkerFound): boolean =>
  found.error > LIMITS.markerError || found.ghostPixels > LIMITS.markerGhostPixels;

/** "rWrist lost", "rKnee 3.1 px / 4 ghost px". */
export const describeMarker = (joint: string, found: MarkerFound): string =>
  `${joint} ${found.error === Infinity ? 'lost' : `${found.error.toFixed(1)} px`}${found.ghostPixels ? ` / ${found.ghostPixels} ghost px` : ''}`;
