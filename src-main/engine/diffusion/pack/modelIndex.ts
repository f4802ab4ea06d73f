import { z } from 'zod';

/**
 * diffusers' `model_index.json`: pipeline class plus, per component folder, its
 * [library, class] pair (null pair for a component left out, e.g. safety_checker).
 */
export const modelIndexSchema = z
  .object({
    _class_name: z.string(),
    _diffusers_version: z.string().optional(),
  })
  .catchall(z.unknown());

export type ModelIndex = z.infer<typeof modelIndexSchema>;

/** Component folders the index declares (entries shaped [library, class] with a class). */
export function declaredComponents(index: ModelIndex): string[] {
  return Object.entries(index)
    .filter(
      ([key, value]) =>
        !key.startsWith('_') && Array.isArray(value) && value.length === 2 && value[1] != null,
    )
    .map(([key]) => key);
}
