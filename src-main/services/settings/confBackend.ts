import Conf from 'conf';
import type { Settings } from '#shared/api/index';
import type { SettingsBackend } from './settingsService';

/**
 * Serve mode's settings file (conf: atomic writes, in the user's config folder unless `cwd` is
 * given). The object is validated by SettingsService with the same zod schema electron-store uses.
 */
export function confSettingsBackend(opts: { cwd?: string } = {}): SettingsBackend {
  const conf = new Conf<{ settings?: unknown }>({
    projectName: 'pose-studio',
    configName: 'settings',
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  return {
    read: () => conf.get('settings'),
    write: (value: Settings) => conf.set('settings', value),
  };
}
