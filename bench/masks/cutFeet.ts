/**
 * A mask as a segmentation model that stopped at the ankles would make it: everything past each
 * ankle (on the far side from the knee) within 0.6 shin lengths removed. The foot-completion test
 * and the feet contact sheet start from the real photos' ground truth cut this way.
 */
import { Joint } from '#shared/pose/skeleton';

export function cutAtAnkles(
  mask: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
): Uint8Array {
  const out = Uint8Array.from(mask);
  for (const [knee, ankle] of [
    [Joint.rKnee, Joint.rAnkle],
    [Joint.lKnee, Joint.lAnkle],
  ] as const) {
    const ax = pose[ankle * 3]!;
    const ay = pose[ankle * 3 + 1]!;
    const sx = ax - pose[knee * 3]!;
    const sy = ay - pose[knee * 3 + 1]!;
    const shin = Math.hypot(sx, sy);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if ((x - ax) * sx + (y - ay) * sy > 0 && Math.hypot(x - ax, y - ay) < 0.6 * shin)
          out[y * width + x] = 0;
  }
  return out;
}
