import { describe, expect, it } from 'vitest';
import { FACE, Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';
import {
  applyAffine,
  fitLatentAffine,
  invertAffine,
  matchedLatentPoints,
  pasteAffineLatent,
  type Affine,
} from './latentAffine';
import { nearestReference, poseDistance } from './referenceChoice';

function frame(points: [number, number, number][]): PoseFrame {
  const p = createPerson();
  for (const [j, x, y] of points) setPoint(p.points, j, x, y, 1);
  return { width: 64, height: 64, people: [p] };
}

describe('reference choice', () => {
  const standing = frame([
    [Joint.neck, 32, 10],
    [Joint.rWrist, 20, 40],
    [Joint.lWrist, 44, 40],
  ]);
  const armsUp = frame([
    [Joint.neck, 32, 10],
    [Joint.rWrist, 20, 2],
    [Joint.lWrist, 44, 2],
  ]);

  it('measures the mean distance over shared body points', () => {
    expect(poseDistance(standing, standing)).toBe(0);
    expect(poseDistance(standing, armsUp)).toBeCloseTo((0 + 38 + 38) / 3, 10);
    expect(poseDistance(standing, { width: 64, height: 64, people: [] })).toBe(Infinity);
  });

  it('picks the nearest reference for each target', () => {
    const target = frame([
      [Joint.neck, 32, 11],
      [Joint.rWrist, 21, 5],
      [Joint.lWrist, 43, 4],
    ]);
    expect(nearestReference([standing, armsUp], target)).toBe(1);
    expect(nearestReference([standing, armsUp], standing)).toBe(0);
    expect(() => nearestReference([], target)).toThrow();
  });
});

describe('6-DOF latent affine edit', () => {
  const t: Affine = [1.2, -0.3, 2, 0.25, 0.9, -1];
  const src: [number, number][] = [
    [0, 0],
    [4, 1],
    [1, 5],
    [3, 3],
    [6, 2],
  ];

  it('recovers an exact affine map and its inverse', () => {
    const fit = fitLatentAffine(
      src,
      src.map(([x, y]) => applyAffine(t, x, y)),
    );
    fit.forEach((v, i) => expect(v).toBeCloseTo(t[i]!, 9));
    const back = invertAffine(fit);
    const [x, y] = applyAffine(back, ...applyAffine(fit, 3, 7));
    expect(x).toBeCloseTo(3, 9);
    expect(y).toBeCloseTo(7, 9);
  });

  it('is the least-squares fit for noisy points, and refuses collinear ones', () => {
    const noisy = src.map(([x, y], i) => {
      const [u, v] = applyAffine(t, x, y);
      return [u + (i % 2 ? 0.01 : -0.01), v] as [number, number];
    });
    fitLatentAffine(src, noisy).forEach((v, i) => expect(v).toBeCloseTo(t[i]!, 1));
    expect(() =>
      fitLatentAffine(
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      ),
    ).toThrow(/collinear/);
  });

  it('pastes the moved reference latent inside the box only', () => {
    const c = 2;
    const h = 8;
    const w = 8;
    const reference = Float32Array.from({ length: c * h * w }, (_, i) => i);
    const target = new Float32Array(c * h * w).fill(-1);
    const shift: Affine = [1, 0, 2, 0, 1, 1]; // move right 2, down 1
    const out = pasteAffineLatent(
      reference,
      target,
      c,
      h,
      w,
      shift,
      [
        [3, 3],
        [5, 4],
      ],
      0,
    );
    // inside the box: value of the reference pixel 2 left and 1 up
    expect(out[4 * w + 5]).toBe(reference[3 * w + 3]);
    expect(out[h * w + 3 * w + 3]).toBe(reference[h * w + 2 * w + 1]);
    // outside: untouched
    expect(out[0]).toBe(-1);
    expect(out[7 * w + 7]).toBe(-1);
  });

  it('takes face points present in both poses, in latent pixels', () => {
    const a = frame([
      [FACE.start, 16, 8],
      [FACE.start + 1, 24, 8],
      [Joint.neck, 0, 0],
    ]);
    const b = frame([
      [FACE.start, 32, 16],
      [FACE.start + 2, 1, 1],
    ]);
    expect(matchedLatentPoints(a, b, FACE)).toEqual({ from: [[2, 1]], to: [[4, 2]] });
  });
});

describe('PoseCrafter initial latent', () => {
  const shape = { channels: 1, height: 8, width: 8 };
  const face = (dx: number, dy: number) =>
    frame([
      [Joint.neck, 32, 40],
      [FACE.start, 16 + dx, 16 + dy],
      [FACE.start + 1, 32 + dx, 16 + dy],
      [FACE.start + 2, 24 + dx, 32 + dy],
    ]);

  it('starts from the nearest reference and moves the face latent with the landmarks', async () => {
    const { poseCrafterInitialLatent } = await import('./initialLatent');
    const a = Float32Array.from({ length: 64 }, (_, i) => i);
    const b = new Float32Array(64).fill(100);
    const references = [face(0, 0), frame([[Joint.neck, 32, 10]])];
    const result = poseCrafterInitialLatent([a, b], references, face(8, 0), shape);
    expect(result.reference).toBe(0);
    expect(result.editedParts).toBe(1);
    // landmarks moved 8 px = 1 latent pixel right: inside the box, each latent pixel takes its left neighbour
    expect(result.latent[2 * 8 + 4]).toBe(a[2 * 8 + 3]);
    // outside the box, unchanged
    expect(result.latent[7 * 8 + 7]).toBe(a[7 * 8 + 7]);
    const body = poseCrafterInitialLatent([a, b], references, face(8, 0), shape, 'body');
    expect(body.editedParts).toBe(1);
    const plain = poseCrafterInitialLatent([a, b], references, face(8, 0), shape, false);
    expect(Array.from(plain.latent)).toEqual(Array.from(a));
  });
});
