import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderJob, RenderSettings } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ApiService } from './apiService';
import { outputLocation, studioOutputPath } from './outputFolder';
import type { RenderPort } from './ports';
import { projectStoreAdapter } from './projectAdapter';

const root = mkdtempSync(join(tmpdir(), 'ps-output-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sample = resolve(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');

const settings = (patch: Partial<RenderSettings> = {}) =>
  ({ from: 0, to: 48, format: 'mp4', ...patch }) as RenderSettings;

describe('the folder "Open folder" shows', () => {
  it('is the video’s folder with the video selected once it exists, not renders/<job>', async () => {
    const project = join(root, 'a');
    const video = studioOutputPath(project, settings());
    expect(video).toBe(join(project, 'renders', 'render-0-48.mp4'));
    mkdirSync(join(project, 'renders', 'a1b2c3d4e5f6'), { recursive: true }); // the job's own folder
    // Still rendering: the folder it will appear in, nothing to select yet.
    expect(await outputLocation(video, 'mp4')).toEqual({
      folder: join(project, 'renders'),
      select: null,
    });
    writeFileSync(video, 'not really a video');
    expect(await outputLocation(video, 'mp4')).toEqual({
      folder: join(project, 'renders'),
      select: video,
    });
  });

  it('is the PNG frames’ own folder once it exists', async () => {
    const project = join(root, 'b');
    const frames = studioOutputPath(project, settings({ format: 'png' }));
    expect(frames).toBe(join(project, 'renders', 'render-0-48'));
    mkdirSync(join(project, 'renders'), { recursive: true });
    expect(await outputLocation(frames, 'png')).toEqual({
      folder: join(project, 'renders'),
      select: null,
    });
    mkdirSync(frames);
    expect(await outputLocation(frames, 'png')).toEqual({ folder: frames, select: null });
  });

  it('a link at the output’s path is not followed or selected; its folder opens', async () => {
    const project = join(root, 'c');
    mkdirSync(join(project, 'renders'), { recursive: true });
    const outside = join(root, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'private.mp4'), 'x');
    const video = join(project, 'renders', 'render-0-48.mp4');
    symlinkSync(join(outside, 'private.mp4'), video);
    expect(await outputLocation(video, 'mp4')).toEqual({
      folder: join(project, 'renders'),
      select: null,
    });
    const frames = join(project, 'renders', 'render-0-48');
    symlinkSync(outside, frames);
    expect(await outputLocation(frames, 'png')).toEqual({
      folder: join(project, 'renders'),
      select: null,
    });
  });

  it('render.openFolder hands the shell the output’s folder and file, and says where it is', async () => {
    const project = join(root, 'api');
    cpSync(sample, project, { recursive: true });
    const video = join(project, 'renders', 'render-0-48.mp4');
    mkdirSync(join(project, 'renders', 'd0e1f2a3b4c5'), { recursive: true });
    writeFileSync(video, 'finished video');
    const job = {
      id: 'd0e1f2a3b4c5',
      settings: settings(),
      folder: join(project, 'renders', 'd0e1f2a3b4c5'),
      output: 'renders/render-0-48.mp4',
    } as RenderJob;
    const render = {
      list: async () => [job],
      output: async (_p: unknown, id: string) => (id === job.id ? video : null),
      subscribe: () => () => undefined,
      close: async () => undefined,
    } as unknown as RenderPort;
    const asked: unknown[][] = [];
    const api = new ApiService({
      mode: 'electron',
      version: '0',
      platform: 'linux',
      settings: new SettingsService(memorySettingsBackend()),
      shell: {
        openFolder: async (...args) => {
          asked.push(args);
          return true;
        },
      },
      projects: projectStoreAdapter(),
      render,
    });
    await api.call('projects.open', { folder: project });
    expect(await api.call('render.openFolder', { jobId: job.id })).toEqual({
      folder: join(project, 'renders'),
      output: video,
      opened: true,
    });
    expect(asked).toEqual([[join(project, 'renders'), video]]);
    await expect(api.call('render.openFolder', { jobId: 'ffffffffffff' })).rejects.toThrow(
      /no render job "ffffffffffff"/,
    );
    expect(asked).toHaveLength(1);
  });
});
