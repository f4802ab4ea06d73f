import { z } from 'zod';
import { characterSchema } from './model';

/**
 * Undo of a picture replacement (a drop on the Character view or Import picture…): the UI kept
 * the picture and mask the character had, and hands them back. The old files are still in the
 * project's assets (an import never deletes them); the host checks both are pictures inside the
 * project before using them. Stateless, so it works after a restart too.
 */
export const pictureRestoreMethods = {
  'character.restorePicture': {
    params: z.strictObject({
      picture: z.string().min(1).max(4096),
      mask: z.string().min(1).max(4096).nullable(),
    }),
    result: characterSchema,
  },
} as const;
