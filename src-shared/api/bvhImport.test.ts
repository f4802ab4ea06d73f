import { describe, expect, it } from 'vitest';
import { BVH_CAMERAS, BVH_PROJECTIONS } from '#shared/pose/bvh/camera';
import { BVH_CAMERA_LABELS, BVH_PROJECTION_LABELS } from '#shared/pose/bvh/options';
import { DEFAULT_BVH_CHOICES, bvhImportChoicesSchema, readBvhChoices } from './bvhImport';

describe('BVH import choices (the studio dialog and the CLI share the ids)', () => {
  it("accepts every camera and projection the CLI's --camera/--projection accept", () => {
    for (const camera of BVH_CAMERAS)
      for (const projection of BVH_PROJECTIONS)
        expect(bvhImportChoicesSchema.parse({ camera, projection, inPlace: true })).toEqual({
          camera,
          projection,
          inPlace: true,
        });
  });

  it('every id has a label in the user’s words', () => {
    expect(BVH_CAMERAS.map((c) => BVH_CAMERA_LABELS[c])).toEqual([
      'Front',
      'Side',
      'Three-quarter',
    ]);
    expect(BVH_PROJECTIONS.map((p) => BVH_PROJECTION_LABELS[p])).toEqual([
      'Orthographic',
      'Perspective',
    ]);
  });

  it('remembered choices that cannot be read fall back to the defaults', () => {
    const hostile: unknown[] = [
      null,
      undefined,
      'front',
      42,
      NaN,
      [],
      { camera: 'top', projection: 'ortho', inPlace: false },
      { camera: 'side', projection: 'fisheye', inPlace: false },
      { camera: 'side', projection: 'ortho', inPlace: 'yes' },
      { camera: 'side', projection: 'ortho' },
      { camera: 'side', projection: 'ortho', inPlace: false, fps: 1e308 },
      { camera: 'x'.repeat(100_000), projection: 'ortho', inPlace: false },
    ];
    for (const v of hostile) expect(readBvhChoices(v)).toEqual(DEFAULT_BVH_CHOICES);
  });

  it('valid remembered choices come back as they were, and are not the shared default object', () => {
    const v = { camera: '3q', projection: 'perspective', inPlace: true };
    expect(readBvhChoices(v)).toEqual(v);
    const a = readBvhChoices(null);
    a.camera = 'side';
    expect(DEFAULT_BVH_CHOICES.camera).toBe('front');
  });
});
