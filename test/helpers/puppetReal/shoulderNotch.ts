/**
 * char4's shoulder notch over a motion, measured (`shoulderNotchPixels`): for each frame, the
 * background cut into the outline between the neck and each upper arm within a fifth of the torso
 * length of the shoulder, from the frame rendered over black and over white.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import { Joint } from '#shared/pose/skeleton';
import { shoulderNotchPixels } from '#shared/puppet/checks/notch';
import { alphaFromTwoBackgrounds, threshold } from '#shared/puppet/checks/regions';

export interface NotchReport {
  side: 'left' | 'right';
  reference: number;
  median: number;
  worst: number;
  worstFrame: number;
}

const at = (p: Float64Array, j: number) => [p[j * 3]!, p[j * 3 + 1]!] as const;

export function shoulderNotches(
  reference: Float64Array,
  referenceFrames: { white: RgbImage; black: RgbImage },
  poses: Float64Array[],
  white: RgbImage[],
  black: RgbImage[],
): NotchReport[] {
  const hips = [at(reference, Joint.rHip), at(reference, Joint.lHip)];
  const neck = at(reference, Joint.neck);
  const torso = Math.hypot(
    (hips[0]![0] + hips[1]![0]) / 2 - neck[0],
    (hips[0]![1] + hips[1]![1]) / 2 - neck[1],
  );
  const radius = 0.2 * torso;
  const measure = (pose: Float64Array, w: RgbImage, b: RgbImage, shoulder: number, elbow: number) =>
    shoulderNotchPixels(
      threshold(alphaFromTwoBackgrounds(b.data, w.data), 0.5),
      w.width,
      w.height,
      at(pose, shoulder),
      at(pose, elbow),
      at(pose, Joint.neck),
      radius,
    );
  const sides = [
    { side: 'left' as const, shoulder: Joint.lShoulder, elbow: Joint.lElbow },
    { side: 'right' as const, shoulder: Joint.rShoulder, elbow: Joint.rElbow },
  ];
  return sides.map(({ side, shoulder, elbow }) => {
    const values = poses.map((p, i) => measure(p, white[i]!, black[i]!, shoulder, elbow));
    const worst = Math.max(...values);
    return {
      side,
      reference: measure(reference, referenceFrames.white, referenceFrames.black, shoulder, elbow),
      median: [...values].sort((a, b) => a - b)[values.length >> 1]!,
      worst,
      worstFrame: values.indexOf(worst),
    };
  });
}
