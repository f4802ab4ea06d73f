import { describe, expect, it } from 'vitest';
import type { CacheUsageView } from '#shared/api/index';
import { cacheUsageText, parseCacheLimit } from './cacheSettings';

describe('cache limit field', () => {
  it('takes a size in GB within the setting’s bounds, both ends included', () => {
    expect(parseCacheLimit('20')).toEqual({ gb: 20 });
    expect(parseCacheLimit(' 2.5 ')).toEqual({ gb: 2.5 });
    expect(parseCacheLimit('0.5')).toEqual({ gb: 0.5 });
    expect(parseCacheLimit('10000')).toEqual({ gb: 10000 });
  });

  it('refuses empty, out-of-range and non-numbers with the allowed range', () => {
    for (const text of ['', '   ', '0.49', '0', '-5', '10000.5', '1e308', 'Infinity', 'NaN', 'ten'])
      expect(parseCacheLimit(text)).toEqual({ problem: 'A size from 0.5 to 10000 GB' });
  });
});

describe('cache usage line', () => {
  const usage = (patch: Partial<CacheUsageView['byKind']> = {}): CacheUsageView => ({
    folder: '/home/me/film/cache',
    files: 12,
    bytes: 1.5 * 1024 ** 3,
    limitBytes: 20 * 1024 ** 3,
    byKind: {
      segments: { files: 12, bytes: 1.5 * 1024 ** 3 },
      diffusionBanks: { files: 0, bytes: 0 },
      temp: { files: 0, bytes: 0 },
      ...patch,
    },
  });

  it('says the total, the limit and the segments; kinds that hold nothing are left out', () => {
    expect(cacheUsageText(usage())).toBe(
      "This project's cache: 1.50 GB of 20.0 GB — segments 1.50 GB (12 files)",
    );
  });

  it('names diffusion banks and leftovers of interrupted writes when there are some', () => {
    const text = cacheUsageText(
      usage({
        diffusionBanks: { files: 2, bytes: 300 * 1024 ** 2 },
        temp: { files: 1, bytes: 512 },
      }),
    );
    expect(text).toMatch(/, diffusion banks 300\.0 MB, leftovers of interrupted writes 512 B$/);
  });

  it('an empty cache reads as such', () => {
    const empty = usage({ segments: { files: 0, bytes: 0 } });
    expect(cacheUsageText({ ...empty, bytes: 0 })).toBe(
      "This project's cache: 0 B of 20.0 GB — segments 0 B (0 files)",
    );
  });
});
