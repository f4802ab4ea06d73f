import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import type { RenderJob, RenderSettings } from '#shared/api/index';
import { ApiService } from '#main/services/api/apiService';
import { createAdapters } from '#main/services/api/adapters';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { copySample } from './helpers';

/** Render jobs of a diffusion project through the API (tiny pack, real ORT, real ffmpeg). */
const { root, project } = copySample('ps-diffusion-api-');
const packs = join(root, 'packs');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await buildTinyPack(join(packs, 'tiny'));
}, 60_000);

function setPack(pack: string): void {
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p.generator = { id: 'diffusion', params: { pack, steps: 2, guidance: 1, seed: 5 } };
  p.output = { ...(p.output as object), width: 64, height: 64, range: { from: 0, to: 6 } };
  p.render = {
    ...(p.render as object),
    strategy: 'independent',
    segmentLength: 3,
    segmentOverlap: 0,
  };
  writeFileSync(file, JSON.stringify(p, null, 2));
}

async function service() {
  // The pack is named by folder name, found under the model pack folders of the settings.
  const settings = new SettingsService(memorySettingsBackend({ modelPackFolders: [packs] }));
  const api = new ApiService({
    mode: 'browser',
    version: '0',
    platform: 'linux',
    settings,
    shell: { openFolder: async () => false },
    ...(await createAdapters({ settings })),
  });
  const jobs: RenderJob[] = [];
  api.subscribe((event, payload) => {
    if (event === 'render.job') jobs.push(payload as RenderJob);
  });
  const ended = (id: string) =>
    new Promise<RenderJob>((done) => {
      const t = setInterval(() => {
        const j = jobs.filter((x) => x.id === id).at(-1);
        if (j && ['done', 'failed', 'cancelled'].includes(j.progress.stage)) {
          clearInterval(t);
          done(j);
        }
      }, 50);
    });
  await api.call('projects.open', { folder: project });
  return { api, ended };
}

describe('diffusion render jobs through the API', { timeout: 60_000 }, () => {
  it('accepts the diffusion generator with a pack from the pack folders and renders', async () => {
    setPack('tiny');
    const { api, ended } = await service();
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    expect(defaults).toMatchObject({ generator: 'diffusion', width: 64, height: 64 });
    const job = (await api.call('render.start', { settings: defaults })) as RenderJob;
    const end = await ended(job.id);
    expect(end.error).toBeNull();
    expect(end.progress).toMatchObject({ stage: 'done', framesDone: 6 });
    expect(existsSync(join(project, 'renders', 'render-0-6.mp4'))).toBe(true);
    await api.close();
  });

  it('rejects a bad pack path up front with a clear error and a hint', async () => {
    setPack('not-a-pack');
    const { api } = await service();
    const defaults = (await api.call('render.defaults', {})) as RenderSettings;
    const start = api.call('render.start', { settings: { ...defaults, to: 4 } });
    await expect(start).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/generator\.params\.pack.*not-a-pack.*does not exist/),
      hint: expect.stringMatching(/pack folder/),
    });
    expect(existsSync(join(project, 'renders', 'render-0-4.mp4'))).toBe(false);
    expect(await api.call('render.list', {})).not.toContainEqual(
      expect.objectContaining({ settings: expect.objectContaining({ to: 4 }) }),
    );
    await api.close();
  });

  it('switches a puppet project to diffusion from the render settings, and back', async () => {
    const file = join(project, 'project.json');
    const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    p.generator = { id: 'puppet' };
    writeFileSync(file, JSON.stringify(p, null, 2));
    const { api, ended } = await service();
    const puppet = (await api.call('render.defaults', {})) as RenderSettings;
    expect(puppet.generator).toBe('puppet');
    expect(puppet.pack).toBeUndefined();

    // Diffusion without a pack is refused by the contract, naming the field.
    await expect(
      api.call('render.start', { settings: { ...puppet, generator: 'diffusion' } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/pack/) });

    const settings: RenderSettings = {
      ...puppet,
      generator: 'diffusion',
      pack: 'tiny',
      width: 64,
      height: 64,
      from: 0,
      to: 3,
      strategy: 'independent',
      segmentLength: 3,
      segmentOverlap: 0,
    };
    const job = (await api.call('render.start', { settings })) as RenderJob;
    expect((await ended(job.id)).progress).toMatchObject({ stage: 'done', framesDone: 3 });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { generator: unknown };
    expect(saved.generator).toMatchObject({ id: 'diffusion', params: { pack: 'tiny', steps: 25 } });

    // And back: the puppet generator with its defaults, no diffusion parameters left behind.
    const back = (await api.call('render.defaults', {})) as RenderSettings;
    expect(back).toMatchObject({ generator: 'diffusion', pack: 'tiny' });
    const { pack: _pack, ...rest } = back;
    await api.call('render.start', { settings: { ...rest, generator: 'puppet', to: 2 } });
    const again = JSON.parse(readFileSync(file, 'utf8')) as { generator: unknown };
    expect(again.generator).toEqual({ id: 'puppet', params: { background: 'plate' } });
    await api.close();
  });
});
