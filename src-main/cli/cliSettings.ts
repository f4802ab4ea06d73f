import { cacheLimitBytes, defaultSettings, type Settings } from '#shared/api/settings';
import type { MemoryBudgetSetting } from '#shared/diffusion/memory/memoryBudget';

/**
 * The settings file serve mode and the CLI share (electron-store's schema, read with `conf`).
 * Unreadable or missing = the defaults: a broken settings file must not stop a render.
 */
export async function cliSettings(): Promise<Settings> {
  try {
    const { confSettingsBackend } = await import('#main/services/settings/confBackend');
    const { SettingsService } = await import('#main/services/settings/settingsService');
    return new SettingsService(confSettingsBackend()).get();
  } catch {
    return defaultSettings();
  }
}

/** The user's `ffmpegPath` setting, if set. */
export async function ffmpegPathSetting(): Promise<string | undefined> {
  return (await cliSettings()).ffmpegPath || undefined;
}

/** The user's `modelPackFolders` setting. */
export async function modelPackFoldersSetting(): Promise<readonly string[]> {
  return (await cliSettings()).modelPackFolders;
}

/** The user's `memoryBudgetGB` setting (diffusion renders). */
export async function memoryBudgetSetting(): Promise<MemoryBudgetSetting> {
  return (await cliSettings()).memoryBudgetGB;
}

/** The user's `segmentCacheLimitGB` setting, in bytes. */
export async function cacheLimitSetting(): Promise<number> {
  return cacheLimitBytes(await cliSettings());
}
