import { z } from 'zod';

const tally = z.object({
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

/**
 * How much of the disk the open project's cache takes (`<project>/cache`), by kind, and the limit
 * renders prune it to (the `segmentCacheLimitGB` setting, in bytes).
 */
export const cacheUsageSchema = z.object({
  folder: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  byKind: z.object({
    /** Finished segments (`cache/segments`). */
    segments: tally,
    /** Diffusion reference banks (`cache/diffusion-banks`). */
    diffusionBanks: tally,
    /** Temporary files of writes a crash or kill interrupted (removed by the next prune). */
    temp: tally,
  }),
  limitBytes: z.number().int().nonnegative(),
});
export type CacheUsageView = z.infer<typeof cacheUsageSchema>;

/** Bytes as people read them, 1024-based: `812 B`, `46.0 KB`, `1.37 GB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
