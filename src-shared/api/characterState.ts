import { z } from 'zod';
import { MAX_PICTURE_SIDE, coordinateRange } from '#shared/project/limits';
import { POINTS_LENGTH, STRIDE } from '#shared/pose/types';
import { mediaPathSchema, type Character } from './model';

const coordinate = z
  .number()
  .min(coordinateRange(MAX_PICTURE_SIDE).min)
  .max(coordinateRange(MAX_PICTURE_SIDE).max);

/**
 * What an undo of a character change puts back: which picture and mask (files already in the
 * project — an import never deletes the one it replaces) and the reference pose on that picture.
 * Plain data, so the one undo history holds it beside the track's commands.
 */
export const characterStateSchema = z
  .object({
    picture: mediaPathSchema.nullable(),
    mask: mediaPathSchema.nullable(),
    /** 136 × (x, y, confidence) in picture pixels; confidence 0 = missing. */
    pose: z.array(z.union([coordinate, z.literal(0)])).length(POINTS_LENGTH),
  })
  .strict();
export type CharacterState = z.infer<typeof characterStateSchema>;

/** The restorable state of the character as the API shows it. */
export function characterState(c: Character): CharacterState {
  const pose = new Array<number>(POINTS_LENGTH).fill(0);
  for (const j of c.joints) {
    if (!(Number.isInteger(j.index) && j.index >= 0 && j.index * STRIDE < POINTS_LENGTH)) continue;
    if (!(j.confidence > 0 && Number.isFinite(j.x) && Number.isFinite(j.y))) continue;
    pose[j.index * STRIDE] = j.x;
    pose[j.index * STRIDE + 1] = j.y;
    pose[j.index * STRIDE + 2] = Math.min(1, j.confidence);
  }
  return { picture: c.picture, mask: c.mask, pose };
}

/** True when two states are the same character (nothing to record). */
export function sameCharacterState(a: CharacterState, b: CharacterState): boolean {
  return a.picture === b.picture && a.mask === b.mask && a.pose.every((v, i) => v === b.pose[i]);
}
