import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';
import { warpLatentByBones } from './boneWarp';

function body(dx: number, dy: number): PoseFrame {
  const p = createPerson();
  const pts: [number, number, number][] = [
    [Joint.nose, 32, 12],
    [Joint.neck, 32, 20],
    [Joint.rShoulder, 24, 20],
    [Joint.lShoulder, 40, 20],
    [Joint.rElbow, 20, 30],
    [Joint.lElbow, 44, 30],
    [Joint.rWrist, 18, 40],
    [Joint.lWrist, 46, 40],
    [Joint.rHip, 28, 40],
    [Joint.lHip, 36, 40],
    [Joint.rKnee, 28, 50],
    [Joint.lKnee, 36, 50],
    [Joint.rAnkle, 28, 60],
    [Joint.lAnkle, 36, 60],
  ];
  for (const [j, x, y] of pts) setPoint(p.points, j, x + dx, y + dy, 1);
  return { width: 64, height: 64, people: [p] };
}

const shape = { channels: 1, height: 8, width: 8 };
const latent = Float32Array.from({ length: 64 }, (_, i) => i);

describe('bone-warped initial latent', () => {
  it('leaves the latent as is when the pose does not move', () => {
    const { latent: out, movedPixels } = warpLatentByBones(latent, shape, body(0, 0), body(0, 0));
    expect(movedPixels).toBeGreaterThan(10);
    out.forEach((v, i) => expect(v).toBeCloseTo(latent[i]!, 4));
  });

  it('moves the body’s latent with the pose, and only near the body', () => {
    // the whole figure 8 px (one latent pixel) to the right
    const { latent: out } = warpLatentByBones(latent, shape, body(0, 0), body(8, 0));
    // a latent pixel on the moved torso (x = 4, y = 3) now holds what was one pixel to its left
    expect(out[3 * 8 + 4]).toBeCloseTo(latent[3 * 8 + 3]!, 4);
    // a corner far from the body keeps its value
    expect(out[0]).toBe(latent[0]);
  });

  it('does nothing without people', () => {
    const empty = { width: 64, height: 64, people: [] };
    expect(warpLatentByBones(latent, shape, empty, body(0, 0)).movedPixels).toBe(0);
  });
});
