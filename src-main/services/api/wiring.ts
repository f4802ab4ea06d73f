import type { AppMode } from '#shared/api/model';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiService } from './apiService';
import type { Adapters, FarmPort, ShellPort } from './ports';
import { SettingsService, type SettingsBackend } from '#main/services/settings/settingsService';

export interface ServicesOptions {
  mode: AppMode;
  settingsBackend: SettingsBackend;
  shell: ShellPort;
  /** Repository/app root (for the version). */
  appRoot: string;
  /** The render farm (`src-main/farm/farmPort.ts`); without it renders run on this machine. */
  farm?: FarmPort;
}

function version(appRoot: string): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the one ApiService both transports use. The adapters over the project store, render
 * jobs and engine client are created in `adapters.ts`; this function only assembles.
 */
export async function createApiService(opts: ServicesOptions): Promise<ApiService> {
  const settings = new SettingsService(opts.settingsBackend);
  const { createAdapters } = await import('./adapters');
  const adapters: Adapters = await createAdapters({
    settings,
    ...(opts.farm ? { farm: opts.farm } : {}),
  });
  return new ApiService({
    mode: opts.mode,
    version: version(opts.appRoot),
    platform: process.platform,
    settings,
    shell: opts.shell,
    ...adapters,
  });
}
