import Store from 'electron-store';
import type { Settings } from '#shared/api/index';
import type { SettingsBackend } from '#main/services/settings/settingsService';

/**
 * The desktop app's settings file (electron-store, in the app's userData folder). The object is
 * validated by SettingsService with the same zod schema serve mode uses through conf.
 */
export function electronSettingsBackend(): SettingsBackend {
  const store = new Store<{ settings?: unknown }>({ name: 'settings' });
  return {
    read: () => store.get('settings'),
    write: (value: Settings) => store.set('settings', value),
  };
}
