import { z } from 'zod';
import { BVH_CAMERAS, BVH_PROJECTIONS } from '#shared/pose/bvh/camera';

/**
 * What the user chooses when importing a BVH clip in the studio: the camera, the projection and
 * "keep in place". The ids are the CLI's (`--camera`, `--projection`, `--in-place`), declared
 * once in src-shared/pose/bvh/camera.ts. The fps is the project's and the character to retarget
 * onto is the project's character, so neither is a choice here.
 */
export const bvhImportChoicesSchema = z.strictObject({
  camera: z.enum(BVH_CAMERAS),
  projection: z.enum(BVH_PROJECTIONS),
  inPlace: z.boolean(),
});
export type BvhImportChoices = z.infer<typeof bvhImportChoicesSchema>;

export const DEFAULT_BVH_CHOICES: BvhImportChoices = {
  camera: 'front',
  projection: 'ortho',
  inPlace: false,
};

/** Choices remembered from an earlier import (any stored value; unreadable → the defaults). */
export function readBvhChoices(stored: unknown): BvhImportChoices {
  const r = bvhImportChoicesSchema.safeParse(stored);
  return r.success ? r.data : { ...DEFAULT_BVH_CHOICES };
}
