import { z } from 'zod';

/**
 * Settings of the studio (electron-store in the desktop app, `conf` in serve mode — same schema).
 * Every field has a default so an old or partly broken file still loads.
 */
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

export const settingsSchema = z.object({
  theme: z.enum(['dark', 'light']).default('dark'),
  executionProvider: z.enum(executionProviderPreferences).default('auto'),
  /** Empty = settings → FFMPEG_PATH → bundled @ffmpeg-installer binary → PATH. */
  ffmpegPath: z.string().default(''),
  modelPackFolders: z.array(z.string().min(1)).max(32).default([]),
  recentProjects: z.array(recentProjectSchema).max(20).default([]),
  window: windowStateSchema.default({ width: 1400, height: 900, maximized: false }),
});
export type Settings = z.infer<typeof settingsSchema>;

/** What the UI may change (recent projects and window state are kept by the app itself). */
export const settingsPatchSchema = z
  .object({
    theme: z.enum(['dark', 'light']),
    executionProvider: z.enum(executionProviderPreferences),
    ffmpegPath: z.string().max(4096),
    modelPackFolders: z.array(z.string().min(1).max(4096)).max(32),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
