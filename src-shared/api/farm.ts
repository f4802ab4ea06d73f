import { z } from 'zod';
import type { FarmLane, FarmStatus, FarmWorkerInfo } from '#shared/render/farmStatus';

/**
 * The farm status on the wire (render jobs carry it while they render on the farm). Bounded so a
 * hostile or broken peer cannot make the studio draw a million lanes.
 */
export const FARM_LIMITS = { workers: 256, lanes: 20_000 } as const;

const workerInfoSchema = z.object({
  name: z.string().max(200),
  host: z.string().max(200),
  concurrency: z.number().int().min(0).max(1024),
  providers: z.array(z.string().max(40)).max(16),
  freeMemoryMb: z.number().min(0).max(1e9),
  generators: z.array(z.string().max(40)).max(16),
}) satisfies z.ZodType<FarmWorkerInfo>;

const laneSchema = z.object({
  worker: z.string().max(200),
  index: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  state: z.enum(['rendering', 'done', 'failed']),
  startedAt: z.number().nonnegative(),
  endedAt: z.number().nonnegative().nullable(),
}) satisfies z.ZodType<FarmLane>;

export const farmStatusSchema = z.object({
  redis: z.string().max(2048),
  workers: z.array(workerInfoSchema).max(FARM_LIMITS.workers),
  lanes: z.array(laneSchema).max(FARM_LIMITS.lanes),
}) satisfies z.ZodType<FarmStatus>;

/** A Redis URL the farm accepts, or '' (render on this machine). */
export const farmRedisUrlSchema = z
  .string()
  .max(2048)
  .refine((s) => s === '' || /^rediss?:\/\/[^\s]+$/.test(s), {
    message: 'must be empty or a redis://[:password@]host:port URL',
  });
