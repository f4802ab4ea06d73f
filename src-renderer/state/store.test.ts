import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ApiEventName,
  ApiEventPayload,
  Character,
  ProjectSummary,
  RenderJob,
  RenderProgress,
} from '#shared/api/index';
import { ApiError } from '#shared/api/errors';
import { defaultSettings } from '#shared/api/settings';

// The studio store talks to `api` only; this stand-in answers calls from a table the test fills
// and lets the test push events as the services would.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, ((p: unknown) => void)[]>();
  const answers = new Map<string, (params: unknown) => Promise<unknown>>();
  return {
    listeners,
    answers,
    client: {
      transport: 'websocket' as const,
      call: (method: string, params: unknown) => {
        const answer = answers.get(method);
        return answer
          ? answer(params)
          : Promise.reject(new Error(`the test gave no answer for ${method}`));
      },
      on: (event: string, listener: (p: unknown) => void) => {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return () => undefined;
      },
      mediaUrl: (p: string) => `/media/${p}`,
    },
  };
});
vi.mock('../api/client', () => ({ api: fake.client }));

const { attempt, loadProjectState, startStudio, useStudio } = await import('./store');
const initial = useStudio.getState();

function emit<E extends ApiEventName>(event: E, payload: ApiEventPayload<E>): void {
  for (const l of fake.listeners.get(event) ?? []) l(payload);
}
function answer(method: string, result: unknown): void {
  fake.answers.set(method, () => Promise.resolve(result));
}

function project(name: string): ProjectSummary {
  return {
    path: `/home/me/${name}`,
    name,
    width: 512,
    height: 512,
    fps: 24,
    frameCount: 48,
    people: 1,
    keyframes: 2,
  };
}
function character(name: string): Character {
  return { name, picture: null, pictureWidth: 0, pictureHeight: 0, mask: null, joints: [] };
}
function progress(jobId: string, patch: Partial<RenderProgress> = {}): RenderProgress {
  return {
    jobId,
    stage: 'rendering',
    framesDone: 0,
    framesTotal: 48,
    framesPerSecond: 0,
    etaSeconds: null,
    segmentIndex: null,
    segmentCount: 2,
    thumbnail: null,
    ...patch,
  };
}
function job(id: string, patch: Partial<RenderProgress> = {}): RenderJob {
  return {
    id,
    createdAt: '2026-12-06T20:00:00.000Z',
    settings: {
      generator: 'puppet',
      width: 512,
      height: 512,
      fps: 24,
      from: 0,
      to: 48,
      segmentLength: 24,
      segmentOverlap: 0,
      strategy: 'independent',
      format: 'mp4',
    },
    progress: progress(id, patch),
    output: null,
    folder: `/home/me/film/renders/${id}`,
    error: null,
  };
}

beforeEach(() => {
  useStudio.setState(initial, true);
  fake.listeners.clear();
  fake.answers.clear();
});

describe('studio store: errors and notices', () => {
  it('shows an API error with its hint, and a plain Error with what to do', () => {
    const s = useStudio.getState();
    s.showError(new ApiError('not-found', 'project "x" not found', 'Choose another folder.'));
    s.showError(new Error('could not read hero.png'));
    const [a, b] = useStudio.getState().errors;
    expect(a).toMatchObject({
      severity: 'error',
      message: 'project "x" not found',
      hint: 'Choose another folder.',
    });
    expect(b!.message).toBe('could not read hero.png');
    expect(b!.hint).toMatch(/report/);
    expect(a!.id).not.toBe(b!.id);
  });

  it('keeps the last four messages on screen, and dismissing removes only the one closed', () => {
    const s = useStudio.getState();
    for (let i = 1; i <= 6; i++) s.showInfo(`notice ${i}`);
    const shown = useStudio.getState().errors;
    expect(shown.map((e) => e.message)).toEqual(['notice 3', 'notice 4', 'notice 5', 'notice 6']);
    expect(shown.every((e) => e.severity === 'info' && e.hint === undefined)).toBe(true);
    s.dismissError(shown[1]!.id);
    expect(useStudio.getState().errors.map((e) => e.message)).toEqual([
      'notice 3',
      'notice 5',
      'notice 6',
    ]);
    s.dismissError(-1); // an id that is not shown: nothing happens
    expect(useStudio.getState().errors).toHaveLength(3);
  });

  it('attempt returns the result, or shows the failure and returns undefined', async () => {
    await expect(attempt(() => Promise.resolve(42))).resolves.toBe(42);
    const r = await attempt(() =>
      Promise.reject(new ApiError('no-project', 'no project is open', 'Open a project first.')),
    );
    expect(r).toBeUndefined();
    expect(useStudio.getState().errors.at(-1)).toMatchObject({
      message: 'no project is open',
      hint: 'Open a project first.',
    });
  });
});

describe('studio store: opening a project', () => {
  it('loads the character and the jobs, and bumps the picture version', async () => {
    answer('character.get', character('Sprout'));
    answer('render.list', [job('j1'), job('j2')]);
    useStudio.setState({ progress: { old: progress('old') }, playing: 'old' });
    const before = useStudio.getState().characterVersion;
    await loadProjectState(project('film'));
    const s = useStudio.getState();
    expect(s.project?.name).toBe('film');
    expect(s.character?.name).toBe('Sprout');
    expect(s.jobs.map((j) => j.id)).toEqual(['j1', 'j2']);
    expect(s.progress).toEqual({});
    expect(s.playing).toBeNull();
    expect(s.characterVersion).toBe(before + 1);
  });

  it('a failing call leaves an empty part and says why, the rest still loads', async () => {
    answer('character.get', character('Sprout'));
    fake.answers.set('render.list', () =>
      Promise.reject(new ApiError('invalid-project', 'renders/ is damaged', 'Remove renders/.')),
    );
    await loadProjectState(project('film'));
    expect(useStudio.getState().character?.name).toBe('Sprout');
    expect(useStudio.getState().jobs).toEqual([]);
    expect(useStudio.getState().errors.at(-1)?.message).toBe('renders/ is damaged');
  });

  it('opening B while A is still loading never shows A’s character or jobs in B', async () => {
    let releaseA: () => void = () => undefined;
    const slowA = new Promise<void>((r) => (releaseA = r));
    fake.answers.set('character.get', async () => {
      if (useStudio.getState().project?.name === 'A') {
        await slowA;
        return character('from A');
      }
      return character('from B');
    });
    fake.answers.set('render.list', async () => {
      if (useStudio.getState().project?.name === 'A') {
        await slowA;
        return [job('a-job')];
      }
      return [job('b-job')];
    });
    const loadingA = loadProjectState(project('A'));
    await loadProjectState(project('B'));
    releaseA();
    await loadingA;
    const s = useStudio.getState();
    expect(s.project?.name).toBe('B');
    expect(s.character?.name).toBe('from B');
    expect(s.jobs.map((j) => j.id)).toEqual(['b-job']);
  });
});

describe('studio store: start and events', () => {
  async function started(withProject: boolean) {
    answer('app.info', {
      version: '1.0.0',
      mode: 'browser',
      platform: 'linux',
      services: { projects: true, render: true, engine: true },
    });
    answer('settings.get', defaultSettings());
    answer('projects.current', withProject ? project('film') : null);
    answer('character.get', character('Sprout'));
    answer('render.list', []);
    await startStudio();
  }

  it('opens on the projects screen without a project, on Render with one', async () => {
    await started(false);
    expect(useStudio.getState()).toMatchObject({ ready: true, view: 'projects', project: null });
    useStudio.setState(initial, true);
    await started(true);
    expect(useStudio.getState()).toMatchObject({ ready: true, view: 'render' });
    expect(useStudio.getState().character?.name).toBe('Sprout');
  });

  it('when the services cannot be reached it is still ready, with the error shown', async () => {
    fake.answers.set('app.info', () =>
      Promise.reject(
        new ApiError('unavailable', 'cannot connect to the studio host', 'Start serve.'),
      ),
    );
    answer('settings.get', defaultSettings());
    answer('projects.current', null);
    await startStudio();
    const s = useStudio.getState();
    expect(s.ready).toBe(true);
    expect(s.info).toBeNull();
    expect(s.errors.at(-1)).toMatchObject({
      message: 'cannot connect to the studio host',
      hint: 'Start serve.',
    });
  });

  it('a job event adds a new job first and replaces a known one in place', async () => {
    await started(true);
    emit('render.job', job('j1'));
    emit('render.job', job('j2'));
    expect(useStudio.getState().jobs.map((j) => j.id)).toEqual(['j2', 'j1']);
    emit('render.job', job('j1', { stage: 'done', framesDone: 48 }));
    const s = useStudio.getState();
    expect(s.jobs.map((j) => j.id)).toEqual(['j2', 'j1']);
    expect(s.jobs[1]!.progress.stage).toBe('done');
    expect(s.progress.j1).toMatchObject({ stage: 'done', framesDone: 48 });
  });

  it('progress events update only their own job', async () => {
    await started(true);
    emit('render.job', job('j1'));
    emit('render.job', job('j2'));
    emit('render.progress', progress('j1', { framesDone: 12, framesPerSecond: 3 }));
    const s = useStudio.getState();
    expect(s.progress.j1).toMatchObject({ framesDone: 12, framesPerSecond: 3 });
    expect(s.progress.j2!.framesDone).toBe(0);
  });

  it('menu commands switch views; the ones needing a project wait for one', async () => {
    await started(false);
    emit('ui.command', { command: 'show-editor' });
    expect(useStudio.getState().view).toBe('projects');
    emit('ui.command', { command: 'start-render' });
    expect(useStudio.getState()).toMatchObject({ view: 'projects', renderRequest: 0 });
    emit('ui.command', { command: 'show-settings' });
    expect(useStudio.getState().view).toBe('settings');
    useStudio.setState({ project: project('film') });
    emit('ui.command', { command: 'show-editor' });
    expect(useStudio.getState().view).toBe('editor');
    emit('ui.command', { command: 'start-render' });
    emit('ui.command', { command: 'start-render' });
    expect(useStudio.getState()).toMatchObject({ view: 'render', renderRequest: 2 });
  });

  it('a menu command this UI does not know leaves the view as it is', async () => {
    await started(true);
    useStudio.setState({ view: 'character' });
    // Events are not validated in the page (no schema library on the first screen); a newer
    // desktop shell may send a command this page does not know.
    const unknown = { command: 'show-queue' } as unknown as ApiEventPayload<'ui.command'>;
    emit('ui.command', unknown);
    expect(useStudio.getState().view).toBe('character');
  });

  it('an engine restart is a notice that says renders continue; other states say nothing', async () => {
    await started(true);
    const engine = { selected: 'cpu', providers: [], ortVersion: '1.22.0' };
    emit('engine.status', { ...engine, state: 'running' });
    emit('engine.status', { ...engine, state: 'restarting' });
    expect(useStudio.getState().errors).toEqual([]);
    emit('engine.status', {
      ...engine,
      state: 'restarting',
      message: 'the engine stopped (exit code 137); restarting in 1 s',
    });
    expect(useStudio.getState().errors).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: 'the engine stopped (exit code 137); restarting in 1 s',
        hint: expect.stringMatching(/finished segments are kept/),
      }),
    ]);
  });
});
