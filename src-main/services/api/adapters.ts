import type { SettingsService } from '../settings/settingsService';
import { projectStoreAdapter } from './projectAdapter';
import type { Adapters } from './wiring';

/**
 * Creates the adapters over the real services. Each line wires one module; a module that has not
 * landed yet is simply absent and the API answers `unavailable` for its methods.
 */
export async function createAdapters(_deps: { settings: SettingsService }): Promise<Adapters> {
  return {
    projects: projectStoreAdapter(),
  };
}
