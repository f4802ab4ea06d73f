import { z } from 'zod';
import { POINTS_LENGTH, type PoseTrack } from '#shared/pose/types';

/**
 * JSON form of a pose track for the editor's crash-recovery copy (localStorage). Points become
 * plain number arrays; reading validates everything so a damaged copy is refused with a reason.
 */
const EasingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hold') }),
  z.object({ kind: z.literal('linear') }),
  z.object({
    kind: z.literal('bezier'),
    x1: z.number().min(0).max(1),
    y1: z.number(),
    x2: z.number().min(0).max(1),
    y2: z.number(),
  }),
]);

const KeyframeJson = z.object({
  id: z.string().min(1),
  frame: z.number().int().min(0),
  points: z.array(z.number()).length(POINTS_LENGTH),
  easing: EasingSchema,
});

export const PoseTrackJson = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  people: z.array(
    z.object({
      personId: z.number().int(),
      name: z.string().optional(),
      keyframes: z
        .array(KeyframeJson)
        .refine(
          (keys) => keys.every((k, i) => i === 0 || keys[i - 1]!.frame < k.frame),
          'keyframes must be sorted by frame with no two on the same frame',
        ),
    }),
  ),
});
export type PoseTrackJson = z.infer<typeof PoseTrackJson>;

export function trackToJson(track: PoseTrack): PoseTrackJson {
  return {
    width: track.width,
    height: track.height,
    people: track.people.map((p) => ({
      personId: p.personId,
      ...(p.name !== undefined ? { name: p.name } : {}),
      keyframes: p.keyframes.map((k) => ({
        id: k.id,
        frame: k.frame,
        points: Array.from(k.points),
        easing: { ...k.easing },
      })),
    })),
  };
}

export function trackFromJson(value: unknown): PoseTrack {
  const r = PoseTrackJson.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`invalid pose track at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return {
    width: r.data.width,
    height: r.data.height,
    people: r.data.people.map((p) => ({
      personId: p.personId,
      ...(p.name !== undefined ? { name: p.name } : {}),
      keyframes: p.keyframes.map((k) => ({
        id: k.id,
        frame: k.frame,
        points: Float64Array.from(k.points),
        easing: k.easing,
      })),
    })),
  };
}
