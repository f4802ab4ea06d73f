import { describe, expect, it } from 'vitest';
import { apiMethods } from './methods';
import {
  cacheLimitBytes,
  defaultSettings,
  settingsPatchSchema,
  settingsSchema,
  SEGMENT_CACHE_LIMIT_GB,
} from './settings';

describe('settings: segment cache limit', () => {
  it('defaults to 20 GB (also for a settings file written before the field existed)', () => {
    expect(defaultSettings().segmentCacheLimitGB).toBe(20);
    expect(settingsSchema.parse({ theme: 'light' }).segmentCacheLimitGB).toBe(20);
    expect(cacheLimitBytes(defaultSettings())).toBe(20 * 1024 ** 3);
  });

  it('accepts fractions within bounds and converts to whole bytes', () => {
    expect(settingsPatchSchema.parse({ segmentCacheLimitGB: 2.5 })).toEqual({
      segmentCacheLimitGB: 2.5,
    });
    expect(cacheLimitBytes({ segmentCacheLimitGB: 2.5 })).toBe(2.5 * 1024 ** 3);
    expect(cacheLimitBytes({ segmentCacheLimitGB: 0.7 })).toBe(Math.round(0.7 * 1024 ** 3));
    expect(
      settingsPatchSchema.safeParse({ segmentCacheLimitGB: SEGMENT_CACHE_LIMIT_GB.max }).success,
    ).toBe(true);
  });

  it('refuses sizes out of bounds or not numbers, in the file and in a patch', () => {
    for (const bad of [0, 0.1, -5, 10_001, Number.NaN, Infinity, '20', null]) {
      expect(settingsPatchSchema.safeParse({ segmentCacheLimitGB: bad }).success, String(bad)).toBe(
        false,
      );
      expect(settingsSchema.safeParse({ segmentCacheLimitGB: bad }).success, String(bad)).toBe(
        false,
      );
    }
  });

  it('is part of what settings.update takes and settings.get returns', () => {
    expect(apiMethods['settings.update'].params.safeParse({ segmentCacheLimitGB: 5 }).success).toBe(
      true,
    );
    expect(apiMethods['settings.get'].result.parse(defaultSettings()).segmentCacheLimitGB).toBe(20);
  });
});

describe('cache.usage contract', () => {
  const usage = {
    folder: '/p/cache',
    files: 3,
    bytes: 3000,
    byKind: {
      segments: { files: 2, bytes: 2000 },
      diffusionBanks: { files: 1, bytes: 1000 },
      temp: { files: 0, bytes: 0 },
    },
    limitBytes: 20 * 1024 ** 3,
  };

  it('takes no params and returns usage by kind with the limit', () => {
    expect(apiMethods['cache.usage'].params.safeParse({}).success).toBe(true);
    expect(apiMethods['cache.usage'].params.safeParse({ project: '/x' }).success).toBe(false);
    expect(apiMethods['cache.usage'].result.parse(usage)).toEqual(usage);
  });

  it('refuses a result missing a kind or with negative sizes', () => {
    const { temp: _t, ...twoKinds } = usage.byKind;
    expect(apiMethods['cache.usage'].result.safeParse({ ...usage, byKind: twoKinds }).success).toBe(
      false,
    );
    expect(apiMethods['cache.usage'].result.safeParse({ ...usage, bytes: -1 }).success).toBe(false);
  });
});

describe('render farm settings', () => {
  it('default to rendering on this machine', () => {
    expect(defaultSettings()).toMatchObject({
      farmRedisUrl: '',
      farmListen: '',
      farmAdvertise: '',
    });
  });

  it('take a redis:// or rediss:// URL or nothing, and refuse anything else', () => {
    const ok = (farmRedisUrl: string) => settingsPatchSchema.safeParse({ farmRedisUrl }).success;
    expect(ok('')).toBe(true);
    expect(ok('redis://:pw@farm:6379')).toBe(true);
    expect(ok('rediss://user:pw@farm.example:6380/2')).toBe(true);
    expect(ok('http://farm:6379')).toBe(false);
    expect(ok('redis://')).toBe(false);
    expect(ok('redis://a b')).toBe(false);
    expect(ok(`redis://${'x'.repeat(3000)}`)).toBe(false);
    expect(settingsPatchSchema.safeParse({ farmRedisUrl: 6379 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ farmListen: 'x'.repeat(301) }).success).toBe(false);
  });
});
