import type { EngineInfo, ExecutionProviderPreference, RenderSettings } from '#shared/api/index';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import type { SettingsService } from '#main/services/settings/settingsService';
import type {
  Adapters,
  CreateProjectRequest,
  EnginePort,
  FarmPort,
  PreviewPort,
  ProjectSession,
  ProjectsPort,
  RenderListener,
  RenderPort,
} from './ports';

/**
 * Creates the adapters over the real services: project store, render jobs (scheduler + puppet
 * engine workers + ffmpeg) and engine info. Each module is imported on first use, so the host is
 * listening and the UI is interactive before sharp, the project schema or the scheduler have
 * loaded (see bench/ui.bench.ts).
 */
export async function createAdapters(deps: {
  settings: SettingsService;
  farm?: FarmPort;
}): Promise<Adapters> {
  const engineEvents = new Set<(i: EngineInfo) => void>();
  const publish = (i: EngineInfo) => engineEvents.forEach((l) => l(i));
  return {
    projects: lazyProjects(),
    render: lazyRender(deps.settings, publish, deps.farm),
    engine: lazyEngine(engineEvents),
    preview: lazyPreview(deps.settings),
  };
}

/**
 * Puppet render workers: one engine process each, on the execution provider the user prefers
 * (Settings), with engine crashes (the client restarts the process and replays the character
 * setup) reported to the UI as engine.status.
 */
function workerStarter(settings: SettingsService, publish: (i: EngineInfo) => void): StartWorkers {
  return async (count, setup, output, events) => {
    const [{ startPuppetEngines }, { PuppetWorker }] = await Promise.all([
      import('#main/scheduler/workers/workers'),
      import('#main/scheduler/workers/puppetWorker'),
    ]);
    const pref = settings.get().executionProvider;
    // The Render view counts engines as they come up (events).
    const engines = await startPuppetEngines(
      count,
      pref === 'auto' ? {} : { providers: [pref] },
      events,
    );
    return engines.map((e, i) => {
      e.onCrash((reason) =>
        publish({
          state: 'restarting',
          providers: [],
          selected: '',
          ortVersion: '',
          message: `render worker ${i + 1}: the engine process stopped (${reason}); restarting it`,
        }),
      );
      return new PuppetWorker(`puppet-${i + 1}`, e, setup, output);
    });
  };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
}

function lazyProjects(): ProjectsPort {
  const real = once(async () => (await import('./projectAdapter')).projectStoreAdapter());
  return {
    create: async (req: CreateProjectRequest) => (await real()).create(req),
    open: async (folder: string) => (await real()).open(folder),
  };
}

function lazyRender(
  settings: SettingsService,
  publish: (i: EngineInfo) => void,
  farm?: FarmPort,
): RenderPort {
  const listeners = new Set<RenderListener>();
  let loaded: RenderPort | null = null;
  const real = once(async () => {
    const { RenderJobsAdapter } = await import('./renderAdapter');
    const adapter = new RenderJobsAdapter({
      settings,
      startWorkers: workerStarter(settings, publish),
      ...(farm ? { farm } : {}),
    });
    adapter.subscribe({
      progress: (p) => listeners.forEach((l) => l.progress(p)),
      job: (j) => listeners.forEach((l) => l.job(j)),
    });
    loaded = adapter;
    return adapter;
  });
  return {
    // Render settings come from the open project; a project is only open once the project store
    // (which the render adapter builds on) has loaded, so this never waits for the scheduler.
    defaults: (project: ProjectSession): RenderSettings => {
      const p = project as ProjectSession & { renderSettings?: () => RenderSettings };
      if (!p.renderSettings)
        throw new Error('render settings need a project from the project store');
      return p.renderSettings();
    },
    list: async (project) => (await real()).list(project),
    start: async (project, s) => (await real()).start(project, s),
    cancel: async (project, id) => (await real()).cancel(project, id),
    pause: async (project, id) => (await real()).pause(project, id),
    resume: async (project, id) => (await real()).resume(project, id),
    output: async (project, id) => (await real()).output(project, id),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => loaded?.close(),
  };
}

function lazyEngine(listeners: Set<(i: EngineInfo) => void>): EnginePort {
  let loaded: EnginePort | null = null;
  const real = once(async () => {
    const { EngineInfoAdapter } = await import('./engineAdapter');
    const adapter = new EngineInfoAdapter();
    adapter.subscribe((i) => listeners.forEach((l) => l(i)));
    loaded = adapter;
    return adapter;
  });
  return {
    info: async (pref: ExecutionProviderPreference) => (await real()).info(pref),
    extractPicturePose: async (pref, picturePath, options) =>
      (await real()).extractPicturePose(pref, picturePath, options),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => loaded?.close(),
  };
}

/**
 * Transition previews: their own engine process (one per host, started on the first preview and
 * kept for the next ones), single-threaded so a preview never takes the cores a render job uses.
 */
function lazyPreview(settings: SettingsService): PreviewPort {
  let loaded: PreviewPort | null = null;
  const real = once(async () => {
    const [{ PreviewAdapter }, { EngineClient }] = await Promise.all([
      import('./previewAdapter'),
      import('#main/engine/client/engineClient'),
    ]);
    const pref = settings.get().executionProvider;
    loaded = new PreviewAdapter({
      startEngine: () =>
        EngineClient.start({ threads: 1, ...(pref === 'auto' ? {} : { providers: [pref] }) }),
      packFolders: () => settings.get().modelPackFolders,
    });
    return loaded;
  });
  return {
    plan: async (project, jobs) => (await real()).plan(project, jobs),
    previewTransition: async (project, req) => (await real()).previewTransition(project, req),
    characterMask: async (project) => (await real()).characterMask!(project),
    close: async () => loaded?.close(),
  };
}
