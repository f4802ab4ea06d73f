import { startPuppetWorkers } from '../render/workers';
import type { SettingsService } from '../settings/settingsService';
import { EngineInfoAdapter } from './engineAdapter';
import { projectStoreAdapter } from './projectAdapter';
import { RenderJobsAdapter } from './renderAdapter';
import type { Adapters } from './wiring';

/** Creates the adapters over the real services: project store, render jobs, engine. */
export async function createAdapters(deps: { settings: SettingsService }): Promise<Adapters> {
  return {
    projects: projectStoreAdapter(),
    render: new RenderJobsAdapter({ settings: deps.settings, startWorkers: startPuppetWorkers }),
    engine: new EngineInfoAdapter(),
  };
}
