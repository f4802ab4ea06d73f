import { z } from 'zod';
import { LayerOverridesSchema } from '#shared/puppet/layerOverrides';
import { PuppetParamsSchema } from '#shared/project/schema';

/** The BullMQ queue every farm manager and worker of one Redis share. */
export const FARM_QUEUE = 'pose-studio-render';

/** Joints × [x, y, confidence] of one pose (the scheduler's pose layout). */
export const POSE_VALUES = 136 * 3;
/** A segment longer than this is not a segment the scheduler makes: refused, not rendered. */
export const MAX_SEGMENT_FRAMES = 1000;
export const MAX_SIDE = 8192;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha-256 in hex');
const segmentHash = z.string().regex(/^[0-9a-f]{32}$/, 'a segment hash');
const frame = z.number().int().min(0).max(10_000_000);
const side = z.number().int().min(1).max(MAX_SIDE);

/**
 * One segment to render, as it travels through Redis: data only (never code, never a path).
 * Inputs are named by content hash and fetched from the manager's `assets` URL; the worker
 * validates every job with this schema before it touches its engine.
 */
export const farmJobSchema = z
  .object({
    version: z.literal(1),
    segment: z.object({
      index: z.number().int().min(0),
      hash: segmentHash,
      start: frame,
      end: frame,
      windowStart: frame,
      windowEnd: frame,
    }),
    output: z.object({ width: side, height: side }),
    character: z.object({
      picture: sha256,
      mask: sha256.optional(),
      layers: LayerOverridesSchema.optional(),
      referencePose: z.array(z.number()).length(POSE_VALUES),
      /** The project's puppet background ('plate', 'transparent' or '#rrggbb'; absent: 'plate'). */
      background: PuppetParamsSchema.shape.background.optional(),
    }),
    /** One pose per frame of [windowStart, windowEnd). */
    poses: z.array(z.array(z.number()).length(POSE_VALUES)).max(MAX_SEGMENT_FRAMES),
    /** The manager's transfer server (http only: the token is per render, Redis has a password). */
    manager: z.object({
      url: z
        .string()
        .url()
        .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL'),
      token: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  })
  .refine(
    (j) =>
      j.segment.windowStart <= j.segment.start &&
      j.segment.start < j.segment.end &&
      j.segment.end <= j.segment.windowEnd &&
      j.segment.windowEnd - j.segment.windowStart === j.poses.length,
    { message: 'the segment bounds do not match its poses' },
  );

export type FarmJob = z.infer<typeof farmJobSchema>;

/** What a worker returns for a job once the manager accepted its upload. */
export interface FarmJobResult {
  sha256: string;
  bytes: number;
  worker: string;
}

/** The job's data, or an error naming the first bad field (never the data itself). */
export function parseFarmJob(data: unknown): FarmJob {
  const r = farmJobSchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.') || 'job';
  throw new Error(`farm job refused: ${field}: ${issue.message}`);
}
