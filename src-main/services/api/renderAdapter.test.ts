import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderJob, RenderSettings } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { startPuppetEngines } from '#main/scheduler/workers/workers';
import { PuppetWorker } from '#main/scheduler/workers/puppetWorker';
import { ApiService } from './apiService';
import { createAdapters } from './adapters';
import { RenderJobsAdapter } from './renderAdapter';

/** The API's render jobs on real projects: the real scheduler, puppet engine and ffmpeg. */
const root = mkdtempSync(join(tmpdir(), 'ps-api-render-'));
const sample = resolve(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The API over the real adapters (`render` replaced when given), and waits on its jobs' stages. */
async function serviceWith(
  settings = new SettingsService(memorySettingsBackend()),
  render?: RenderJobsAdapter,
) {
  const api = new ApiService({
    mode: 'browser',
    version: '0',
    platform: 'linux',
    settings,
    shell: { openFolder: async () => false },
    ...(await createAdapters({ settings })),
    ...(render ? { render } : {}),
  });
  const jobs: RenderJob[] = [];
  api.subscribe((event, payload) => {
    if (event === 'render.job') jobs.push(payload as RenderJob);
  });
  /** The job's next event in one of `stages` (from the events since `forget`). */
  const reaches = (id: string, stages: string[]) =>
    new Promise<RenderJob>((done) => {
      const t = setInterval(() => {
        const j = jobs.filter((x) => x.id === id).at(-1);
        if (j && stages.includes(j.progress.stage)) {
          clearInterval(t);
          done(j);
        }
      }, 10);
    });
  const ended = (id: string) => reaches(id, ['done', 'failed', 'cancelled']);
  const forget = () => void (jobs.length = 0);
  return { api, ended, reaches, forget };
}

describe('render jobs through the API', { timeout: 120_000 }, () => {
  it('renders a range of the sample project to MP4 and lists it as done', async () => {
    const dir = join(root, 'sample');
    cpSync(sample, dir, { recursive: true });
    const { api, ended } = await serviceWith();
    await api.call('projects.open', { folder: dir });
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    const job = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 24 },
    })) as RenderJob;
    const end = await ended(job.id);
    expect(end.progress).toMatchObject({ stage: 'done', framesDone: 24, framesTotal: 24 });
    expect(end.output).toBe('renders/render-0-24.mp4');
    expect(existsSync(join(dir, 'renders', 'render-0-24.mp4'))).toBe(true);
    expect(await api.call('render.list', {})).toMatchObject([
      { id: job.id, output: 'renders/render-0-24.mp4' },
    ]);
    // Its coherence report, for the Render view's plot (the puppet's plate splits the character).
    expect(await api.call('render.coherence', { jobId: job.id })).toMatchObject({
      frames: 24,
      drift: { region: 'mask' },
    });
    await expect(api.call('render.coherence', { jobId: 'ffffffffffff' })).rejects.toThrow(
      /no render job "ffffffffffff"/,
    );
    // The settings were saved into the project.
    expect(await api.call('render.defaults', {})).toMatchObject({ from: 0, to: 24 });
    // Render again: the job's own output is replaced (the manifest vouches for it) …
    const again = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 24 },
    })) as RenderJob;
    expect((await ended(again.id)).progress.stage).toBe('done');
    // … but a file the user put there since is not (issue 13): the render fails and says why.
    const out = join(dir, 'renders', 'render-0-24.mp4');
    writeFileSync(out, 'my own video');
    const third = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 24 },
    })) as RenderJob;
    const refused = await ended(third.id);
    expect(refused.progress.stage).toBe('failed');
    expect(refused.error?.message).toMatch(/render-0-24\.mp4 already exists$/);
    expect(refused.error?.hint).toMatch(/move or rename it/);
    expect(readFileSync(out, 'utf8')).toBe('my own video');
    await api.close();
  });

  it('refuses a render of a project without a character, saying what to do', async () => {
    const { api } = await serviceWith();
    await api.call('projects.create', {
      folder: join(root, 'empty'),
      name: 'Empty',
      size: { width: 64, height: 64 },
      fps: 24,
    });
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    // Refused before a job exists (issue 17: the guided order), in the user's words.
    await expect(api.call('render.start', { settings: defaults })).rejects.toMatchObject({
      code: 'conflict',
      message: 'cannot render yet: the Picture step is not done',
      hint: expect.stringMatching(/^Add a picture first/),
    });
    expect(await api.call('render.list', {})).toEqual([]);
    await api.close();
  });

  it('fails with a hint when the ffmpeg in Settings does not exist', async () => {
    const dir = join(root, 'no-ffmpeg');
    cpSync(sample, dir, { recursive: true });
    const settings = new SettingsService(memorySettingsBackend());
    settings.update({ ffmpegPath: join(root, 'missing', 'ffmpeg') });
    const { api, ended } = await serviceWith(settings);
    await api.call('projects.open', { folder: dir });
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    const end = await ended(
      ((await api.call('render.start', { settings: { ...defaults, to: 24 } })) as RenderJob).id,
    );
    expect(end.progress.stage).toBe('failed');
    expect(end.error?.hint).toMatch(/ffmpeg path in Settings/);
    expect(existsSync(join(dir, 'renders', 'render-0-24.mp4'))).toBe(false);
    await api.close();
  });
});

describe('render jobs through the API stay inside the project', { timeout: 120_000 }, () => {
  it('a default PNG output folder linked to a user folder fails the job; nothing is written there', async () => {
    const dir = join(root, 'linked-output');
    const outside = join(root, 'user-pictures');
    cpSync(sample, dir, { recursive: true });
    mkdirSync(join(dir, 'renders'));
    mkdirSync(outside);
    symlinkSync(outside, join(dir, 'renders', 'render-0-24'));
    const { api, ended } = await serviceWith();
    await api.call('projects.open', { folder: dir });
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    const job = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 24, format: 'png' },
    })) as RenderJob;
    const end = await ended(job.id);
    expect(end.progress.stage).toBe('failed');
    expect(end.error?.message).toMatch(
      /renders\/render-0-24 is a link to a folder outside the project/,
    );
    expect(readdirSync(outside)).toEqual([]);
    await api.close();
  });
});

describe('Resume right after Cancel', { timeout: 120_000 }, () => {
  it('starts the render again, also while the cancelled one is still closing its engines', async () => {
    const dir = join(root, 'resume-after-cancel');
    cpSync(sample, dir, { recursive: true });
    const settings = new SettingsService(memorySettingsBackend());
    // Real puppet workers whose engines take 1.5 s to close, as on a loaded machine: the job says
    // "cancelled" well before it has ended.
    const render = new RenderJobsAdapter({
      settings,
      workers: 1,
      startWorkers: async (count, setup, output, events) =>
        (await startPuppetEngines(count, {}, events)).map((e, i) => {
          const w = new PuppetWorker(`puppet-${i + 1}`, e, setup, output);
          const close = w.close.bind(w);
          w.close = async () => {
            await new Promise((r) => setTimeout(r, 1500));
            await close();
          };
          return w;
        }),
    });
    const { api, reaches, forget } = await serviceWith(settings, render);
    await api.call('projects.open', { folder: dir });
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    const job = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 48 },
    })) as RenderJob;
    await reaches(job.id, ['rendering']);
    const cancelling = api.call('render.cancel', { jobId: job.id });
    await reaches(job.id, ['cancelled']);
    // What the studio does when the user clicks Resume as soon as the row says cancelled.
    forget();
    await api.call('render.resume', { jobId: job.id });
    await cancelling;
    const end = await Promise.race([
      reaches(job.id, ['done', 'failed']),
      new Promise<null>((r) => setTimeout(() => r(null), 90_000)),
    ]);
    expect(end?.progress).toMatchObject({ stage: 'done', framesDone: 48 });
    expect(existsSync(join(dir, 'renders', 'render-0-48.mp4'))).toBe(true);
    await api.close();
  });
});
