import { create } from 'zustand';
import type {
  AppInfo,
  Character,
  ProjectSummary,
  RenderJob,
  RenderProgress,
  Settings,
} from '#shared/api/index';
import { ApiError } from '#shared/api/errors';
import { api } from '../api/client';

export const VIEWS = ['projects', 'character', 'editor', 'render', 'settings'] as const;
export type View = (typeof VIEWS)[number];

function isView(name: string): name is View {
  return (VIEWS as readonly string[]).includes(name);
}

export interface ShownError {
  id: number;
  severity: 'error' | 'info';
  message: string;
  hint?: string;
}

interface StudioState {
  ready: boolean;
  info: AppInfo | null;
  settings: Settings | null;
  view: View;
  project: ProjectSummary | null;
  character: Character | null;
  /** Bumped when the picture changes so <img> reloads. */
  characterVersion: number;
  jobs: RenderJob[];
  /** Latest progress per job (events arrive more often than whole jobs). */
  progress: Record<string, RenderProgress>;
  playing: string | null;
  /** A frame of the playing render the player should show (relative to its first frame). */
  seek: { frame: number; nonce: number } | null;
  /** Bumped by the Render menu's "Render Now"; the render form starts a job when it changes. */
  renderRequest: number;
  errors: ShownError[];
  setView(view: View): void;
  showError(e: unknown): void;
  showInfo(message: string, hint?: string): void;
  dismissError(id: number): void;
  play(jobId: string | null): void;
  seekTo(frame: number): void;
}

let errorId = 0;

export const useStudio = create<StudioState>((set) => ({
  ready: false,
  info: null,
  settings: null,
  view: 'projects',
  project: null,
  character: null,
  characterVersion: 0,
  jobs: [],
  progress: {},
  playing: null,
  seek: null,
  renderRequest: 0,
  errors: [],
  setView: (view) => set({ view }),
  showError: (e) => {
    const err = ApiError.from(e);
    const shown: ShownError = { id: ++errorId, severity: 'error', message: err.message };
    if (err.hint !== undefined) shown.hint = err.hint;
    set((s) => ({ errors: [...s.errors.slice(-3), shown] }));
  },
  showInfo: (message, hint) => {
    const shown: ShownError = { id: ++errorId, severity: 'info', message };
    if (hint !== undefined) shown.hint = hint;
    set((s) => ({ errors: [...s.errors.slice(-3), shown] }));
  },
  dismissError: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  play: (jobId) => set({ playing: jobId, seek: null }),
  seekTo: (frame) => set((s) => ({ seek: { frame, nonce: (s.seek?.nonce ?? 0) + 1 } })),
}));

/** Runs an API action, showing its error (with what to do) instead of throwing. */
export async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (e) {
    useStudio.getState().showError(e);
    return undefined;
  }
}

function upsertJob(jobs: RenderJob[], job: RenderJob): RenderJob[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [job, ...jobs];
  const next = jobs.slice();
  next[i] = job;
  return next;
}

export async function loadProjectState(project: ProjectSummary): Promise<void> {
  useStudio.setState({ project, character: null, jobs: [], progress: {}, playing: null });
  const [character, jobs] = await Promise.all([
    attempt(() => api.call('character.get', {})),
    attempt(() => api.call('render.list', {})),
  ]);
  // Another project was opened meanwhile: these answers are about the one before.
  if (useStudio.getState().project !== project) return;
  useStudio.setState((s) => ({
    character: character ?? null,
    characterVersion: s.characterVersion + 1,
    jobs: jobs ?? [],
  }));
}

/** Connects to the services, loads what the first screen needs and follows events. */
export async function startStudio(): Promise<void> {
  api.on('render.job', (job) => {
    useStudio.setState((s) => ({
      jobs: upsertJob(s.jobs, job),
      progress: { ...s.progress, [job.id]: job.progress },
    }));
  });
  api.on('ui.command', ({ command }) => {
    const hasProject = useStudio.getState().project !== null;
    if (command === 'start-render') {
      if (hasProject)
        useStudio.setState((s) => ({ view: 'render', renderRequest: s.renderRequest + 1 }));
      return;
    }
    // Events are not validated in the page: a newer shell's command this UI lacks is ignored.
    const view = String(command).replace('show-', '');
    if (!isView(view)) return;
    if (hasProject || view === 'projects' || view === 'settings') useStudio.setState({ view });
  });
  api.on('engine.status', (s) => {
    if ((s.state === 'restarting' || s.state === 'crashed') && s.message) {
      useStudio
        .getState()
        .showInfo(s.message, 'Renders continue once it is back; finished segments are kept.');
    }
  });
  api.on('render.progress', (p) => {
    useStudio.setState((s) => ({ progress: { ...s.progress, [p.jobId]: p } }));
  });
  const loaded = await attempt(() =>
    Promise.all([
      api.call('app.info', {}),
      api.call('settings.get', {}),
      api.call('projects.current', {}),
    ]),
  );
  if (!loaded) {
    useStudio.setState({ ready: true });
    return;
  }
  const [info, settings, project] = loaded;
  useStudio.setState({ info, settings, ready: true, view: project ? 'render' : 'projects' });
  if (project) await loadProjectState(project);
}
