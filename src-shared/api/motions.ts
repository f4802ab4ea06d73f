import { z } from 'zod';
import { TrackSchema } from '#shared/project/schema';
import type { MotionPreview } from '#shared/pose/motions/motionPick';

/** Where a motion in the picker comes from: shipped with Pose Studio, or in the open project. */
export const MOTION_SOURCES = ['shipped', 'project'] as const;
export type MotionSource = (typeof MOTION_SOURCES)[number];

const coordinate = z.number().min(-1e6).max(1e6).nullable();

export const motionPreviewSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive().max(1000),
  frames: z.array(z.array(coordinate).length(36)).max(600),
}) satisfies z.ZodType<MotionPreview>;

export const motionSummarySchema = z.object({
  source: z.enum(MOTION_SOURCES),
  /** The track's id in its project (the sample's for shipped motions). */
  id: z.string().max(200),
  name: z.string().max(200),
  keyframes: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  /** The track the open project renders (only for its own motions). */
  current: z.boolean(),
  preview: motionPreviewSchema,
});
export type MotionSummary = z.infer<typeof motionSummarySchema>;

const motionRef = z.object({ source: z.enum(MOTION_SOURCES), id: z.string().min(1).max(200) });

export const motionMethods = {
  /** The shipped motions (wave, walk, jump, dance) and the open project's tracks, with previews. */
  'motions.list': { params: z.object({}).strict(), result: z.array(motionSummarySchema) },
  /** One motion's whole track (retargeting onto the character happens in the editor). */
  'motions.get': { params: motionRef.strict(), result: TrackSchema },
} as const;
