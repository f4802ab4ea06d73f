import { z } from 'zod';
import { BONES, type BoneName } from './bones';

const BONE_NAMES = BONES.map((b) => b.name) as [BoneName, ...BoneName[]];

/**
 * The user's layer per bone (higher = nearer; the defaults from the pose run 0–7 in half steps),
 * as the project file (`characters[].layers`), the API and the engine protocol all take it. The
 * warp turns a layer into the bias e^(20·layer), so a huge one (1e308) overflows into NaN pixels
 * and a misspelt bone would be ignored without a word: both are refused, naming the bone.
 */
export const LayerOverridesSchema = z.partialRecord(
  z.enum(BONE_NAMES),
  z
    .number()
    .min(-100, 'a layer is between -100 and 100')
    .max(100, 'a layer is between -100 and 100'),
  {
    // zod reports a key outside the enum as `unrecognized_keys`, which its issue type omits.
    error: (issue) => {
      const { code, keys } = issue as { code: string; keys?: string[] };
      return code === 'unrecognized_keys' && keys
        ? `unknown bone ${keys.map((k) => `"${k}"`).join(', ')} (bones: ${BONE_NAMES.join(', ')})`
        : undefined;
    },
  },
);
