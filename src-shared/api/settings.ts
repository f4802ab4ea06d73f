import { z } from 'zod';
import { farmRedisUrlSchema } from './farm';
import { memoryBudgetSchema } from '#shared/diffusion/memory/memoryBudget';

/**
 * Settings of the studio (electron-store in the desktop app, `conf` in serve mode — same schema).
 * Every field has a default so an old or partly broken file still loads.
 */
export const THEMES = ['dark', 'light'] as const;
export const executionProviderPreferences = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const;
export type ExecutionProviderPreference = (typeof executionProviderPreferences)[number];

export const recentProjectSchema = z.object({
  path: z.string().min(1),
  name: z.string(),
  openedAt: z.string(),
});
export type RecentProject = z.infer<typeof recentProjectSchema>;

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(16384),
  height: z.number().int().min(300).max(16384),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/**
 * Byte limit of each project's cache (finished segments, diffusion reference banks), in GB of
 * 1024³ bytes: after every finished render the least recently used files beyond it are removed.
 */
export const SEGMENT_CACHE_LIMIT_GB = { default: 20, min: 0.5, max: 10_000 } as const;
const segmentCacheLimitGB = z
  .number()
  .min(SEGMENT_CACHE_LIMIT_GB.min)
  .max(SEGMENT_CACHE_LIMIT_GB.max);

/** The cache limit of the settings in bytes. */
export function cacheLimitBytes(settings: Pick<Settings, 'segmentCacheLimitGB'>): number {
  return Math.round(settings.segmentCacheLimitGB * 1024 ** 3);
}

export const settingsSchema = z.object({
  theme: z.enum(THEMES).default('dark'),
  executionProvider: z.enum(executionProviderPreferences).default('auto'),
  /** Empty = settings → FFMPEG_PATH → bundled @ffmpeg-installer binary → PATH. */
  ffmpegPath: z.string().default(''),
  modelPackFolders: z.array(z.string().min(1)).max(32).default([]),
  segmentCacheLimitGB: segmentCacheLimitGB.default(SEGMENT_CACHE_LIMIT_GB.default),
  /** The render farm's Redis (docs/farm.md); empty = puppet renders run on this machine. */
  farmRedisUrl: farmRedisUrlSchema.default(''),
  /** Where this machine serves inputs to farm workers (`host[:port]`; empty = 127.0.0.1). */
  farmListen: z.string().max(300).default(''),
  /** The name farm workers reach this machine by (empty = the listen host). */
  farmAdvertise: z.string().max(300).default(''),
  /**
   * Most memory a diffusion render may use, in GB of 1024³ bytes: `auto` = 75 % of the device's
   * memory, `off` = never split UNet calls (src-shared/diffusion/memory/memoryBudget.ts).
   */
  memoryBudgetGB: memoryBudgetSchema.default('auto'),
  recentProjects: z.array(recentProjectSchema).max(20).default([]),
  window: windowStateSchema.default({ width: 1400, height: 900, maximized: false }),
});
export type Settings = z.infer<typeof settingsSchema>;

/** What the UI may change (recent projects and window state are kept by the app itself). */
export const settingsPatchSchema = z
  .object({
    theme: z.enum(THEMES),
    executionProvider: z.enum(executionProviderPreferences),
    ffmpegPath: z.string().max(4096),
    modelPackFolders: z.array(z.string().min(1).max(4096)).max(32),
    segmentCacheLimitGB,
    farmRedisUrl: farmRedisUrlSchema,
    farmListen: z.string().max(300),
    farmAdvertise: z.string().max(300),
    memoryBudgetGB: memoryBudgetSchema,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
