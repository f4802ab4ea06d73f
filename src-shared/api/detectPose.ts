import { z } from 'zod';
import { characterSchema } from './model';

/** What `character.detectPose` answers: the character with its new reference pose, and how. */
export const detectPoseResultSchema = z.object({
  character: characterSchema,
  /** People the extractor found in the picture; the first (best) one became the pose. */
  people: z.number().int().positive(),
  /** Body and feet joints found (of 24), so the UI can say how much needs fixing by hand. */
  bodyJoints: z.number().int().min(0).max(24),
  extractor: z.string(),
  ms: z.number().nonnegative(),
});
export type DetectPoseResult = z.infer<typeof detectPoseResultSchema>;

export const detectPoseParamsSchema = z
  .object({
    /** Points scoring below this are left out (extractor default when absent). */
    minScore: z.number().min(0).lt(1).optional(),
  })
  .strict();
