import { formatBytes, SEGMENT_CACHE_LIMIT_GB, type CacheUsageView } from '#shared/api/index';

/** The cache limit field read as GB, or the problem to show under it. */
export function parseCacheLimit(text: string): { gb: number } | { problem: string } {
  const gb = Number(text);
  const { min, max } = SEGMENT_CACHE_LIMIT_GB;
  if (text.trim() === '' || !Number.isFinite(gb) || gb < min || gb > max)
    return { problem: `A size from ${min} to ${max} GB` };
  return { gb };
}

/**
 * "This project's cache: 1.37 GB of 20.0 GB — segments 1.20 GB (12 files), diffusion banks …":
 * what the open project's cache holds, the kinds that hold nothing left out.
 */
export function cacheUsageText(usage: CacheUsageView): string {
  const k = usage.byKind;
  return (
    `This project's cache: ${formatBytes(usage.bytes)} of ${formatBytes(usage.limitBytes)} — ` +
    `segments ${formatBytes(k.segments.bytes)} (${k.segments.files} files)` +
    (k.diffusionBanks.files > 0 ? `, diffusion banks ${formatBytes(k.diffusionBanks.bytes)}` : '') +
    (k.temp.files > 0 ? `, leftovers of interrupted writes ${formatBytes(k.temp.bytes)}` : '')
  );
}
