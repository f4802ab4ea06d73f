import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, type ProjectSummary } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ApiService } from './apiService';
import { openSampleHandlers } from './openSample';
import { projectStoreAdapter } from './projectAdapter';

const root = mkdtempSync(join(tmpdir(), 'ps-open-sample-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function service() {
  const settings = new SettingsService(memorySettingsBackend());
  const api = new ApiService({
    mode: 'browser',
    version: '1.0.0',
    platform: 'linux',
    settings,
    shell: { openFolder: async () => false },
    projects: projectStoreAdapter(),
  });
  return { api, settings };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('projects.openSample', () => {
  it('copies Sprout into the chosen folder, opens it and remembers it', async () => {
    const { api, settings } = service();
    const folder = join(root, 'chosen', 'My Sprout');
    const summary = (await api.call('projects.openSample', { folder })) as ProjectSummary;
    expect(summary).toMatchObject({ path: folder, name: expect.any(String), keyframes: 97 });
    expect(await api.call('projects.current', {})).toMatchObject({ path: folder });
    expect(settings.get().recentProjects[0]).toMatchObject({ path: folder });
    expect(await api.call('character.get', {})).toMatchObject({ picture: 'assets/sprout.png' });
  });

  it('refuses a folder with the user’s work in it, with a hint, and changes nothing', async () => {
    const { api } = service();
    const folder = join(root, 'busy');
    mkdirSync(folder);
    writeFileSync(join(folder, 'film.txt'), 'mine');
    const e = await rejection(api.call('projects.openSample', { folder }));
    expect(e.message).toMatch(/already exists and is not empty/);
    expect(e.hint).toMatch(/new or empty folder/);
    expect(readdirSync(folder)).toEqual(['film.txt']);
    expect(readFileSync(join(folder, 'film.txt'), 'utf8')).toBe('mine');
    expect(await api.call('projects.current', {})).toBeNull();
  });

  it('without a folder: a new one under the user’s documents, a second copy beside it', async () => {
    const home = join(root, 'home');
    mkdirSync(join(home, 'Documents'), { recursive: true });
    const { api } = service();
    const handlers = openSampleHandlers({
      projects: () => projectStoreAdapter(),
      opened: (s) => s.summary(),
      home,
    });
    const suggested = (await handlers['projects.sampleFolder']()).folder;
    expect(suggested).toBe(join(home, 'Documents', 'Pose Studio', 'Sprout sample'));
    expect((await handlers['projects.openSample']({})).path).toBe(suggested);
    expect((await handlers['projects.openSample']({})).path).toBe(`${suggested} 2`);
    // The service's own default answers a folder that does not exist yet.
    const { folder } = (await api.call('projects.sampleFolder', {})) as { folder: string };
    expect(folder).toMatch(/Sprout sample( \d+)?$/);
  });

  it('refuses hostile parameters at the contract', async () => {
    const { api } = service();
    for (const params of [{ folder: '' }, { folder: 42 }, { folder: 'x'.repeat(5000) }, { x: 1 }])
      expect((await rejection(api.call('projects.openSample', params))).code).toBe('bad-request');
  });
});

describe('render.start on a project that is not ready', () => {
  it('says which step is missing and how to fix it, never project.json', async () => {
    const { api } = service();
    await api.call('projects.create', {
      folder: join(root, 'new-project'),
      name: 'New',
      size: { width: 256, height: 256 },
      fps: 24,
    });
    const settings = {
      generator: 'puppet',
      width: 256,
      height: 256,
      fps: 24,
      from: 0,
      to: 24,
      segmentLength: 24,
      segmentOverlap: 0,
      strategy: 'independent',
      format: 'mp4',
    };
    const first = await rejection(api.call('render.start', { settings }));
    expect(first.code).toBe('conflict');
    expect(first.message).toBe('cannot render yet: the Picture step is not done');
    expect(first.hint).toMatch(/^Add a picture first/);
    expect(`${first.message} ${first.hint}`).not.toMatch(/project\.json|characters|tracks/);

    const png = await sharp({
      create: { width: 64, height: 96, channels: 3, background: '#884422' },
    })
      .png()
      .toBuffer();
    await api.call('character.importPicture', {
      fileName: 'me.png',
      dataBase64: png.toString('base64'),
    });
    const second = await rejection(api.call('render.start', { settings }));
    expect(second.message).toBe('cannot render yet: the Pose step is not done');
    expect(second.hint).toContain('Detect pose');
  });
});
