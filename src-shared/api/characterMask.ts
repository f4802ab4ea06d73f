import { z } from 'zod';
import { BONES, type BoneName } from '#shared/puppet/bones';
import { CHARACTER_WARNING_CODES } from '#shared/puppet/characterWarnings';
import { MASK_SOURCES } from '#shared/puppet/mask';

/**
 * The character's mask and layers as the puppet's setup made them, for the user to see and fix:
 * where the mask came from, what to fix (warnings with a fix each), the mask itself and which part
 * owns each pixel. The engine protocol carries these values; `character.mask` gives them to the
 * studio (the mask and part map as PNGs), `render` puts the warnings in the job's log.
 */

export const characterWarningSchema = z.object({
  code: z.enum(CHARACTER_WARNING_CODES),
  message: z.string().max(2000),
  fix: z.string().max(2000),
  joints: z.array(z.number().int().min(0).max(135)).max(136).optional(),
});

export const maskSourceSchema = z.enum(MASK_SOURCES);

/** The person-segmentation model's cost, apart from the rest of the setup. */
export const segmentationTimingSchema = z.object({
  model: z.string(),
  loadMs: z.number().nonnegative(),
  runMs: z.number().nonnegative(),
});

const BONE_NAMES = BONES.map((b) => b.name) as [BoneName, ...BoneName[]];

/** A part of the puppet (a bone's name) and its layer (higher = nearer). */
export const partLayerSchema = z.object({
  part: z.enum(BONE_NAMES),
  layer: z.number(),
  /** True when the layer comes from the user's override, not from the pose. */
  overridden: z.boolean(),
});

/** What `character.mask` answers. */
export const characterMaskSchema = z.object({
  /** The picture's size: the mask and the part map are this size. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  source: maskSourceSchema,
  /** Character pixels in the mask. */
  pixels: z.number().int().nonnegative(),
  /** The mask actually used, a PNG (white = character), base64. */
  maskPngBase64: z.string(),
  /**
   * Which part owns each pixel, a grey PNG, base64: value k+1 = part k of `layers` (the bones in
   * their fixed order), 0 = background.
   */
  partsPngBase64: z.string(),
  /** Every part with its layer, in bone order (index k in the parts PNG is value k+1). */
  layers: z.array(partLayerSchema),
  warnings: z.array(characterWarningSchema),
  setupMs: z.number().nonnegative(),
  segmentation: segmentationTimingSchema.optional(),
});
export type CharacterMaskView = z.infer<typeof characterMaskSchema>;
