import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';

/**
 * The pose the diffusion tests drive the tiny pack with: an upper body on a size×size canvas
 * (coordinates drawn for 64²); `lift` raises both elbows by that many pixels (of 64).
 */
export function tinyPackPose(lift: number, size = 64): Float64Array {
  const p = emptyPoints();
  const k = size / 64;
  const set = (j: number, x: number, y: number) => setPoint(p, j, x * k, y * k, 1);
  set(Joint.neck, 32, 16);
  set(Joint.rShoulder, 24, 16);
  set(Joint.lShoulder, 40, 16);
  set(Joint.rElbow, 18, 26 - lift);
  set(Joint.lElbow, 46, 26 - lift);
  set(Joint.rHip, 28, 38);
  set(Joint.lHip, 36, 38);
  return p;
}
