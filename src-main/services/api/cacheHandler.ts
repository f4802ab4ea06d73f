import { cacheLimitBytes, type CacheUsageView, type Settings } from '#shared/api/index';
import { cacheUsage } from '#main/scheduler/cache/cachePruner';

/** `cache.usage`: the open project's cache by kind (one stat per file) and the settings' limit. */
export async function projectCacheUsage(
  projectDir: string,
  settings: Pick<Settings, 'segmentCacheLimitGB'>,
): Promise<CacheUsageView> {
  return { ...(await cacheUsage(projectDir)), limitBytes: cacheLimitBytes(settings) };
}
