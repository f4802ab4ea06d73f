import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  parseParams,
  parseResult,
  type DiffusionSettings,
  type RenderSettings,
} from '#shared/api/index';
import { StoredProject, projectStoreAdapter } from './projectAdapter';

/** Render settings ↔ project generator params, on real projects in temp folders. */
const root = mkdtempSync(join(tmpdir(), 'ps-project-adapter-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
async function project(generator?: unknown): Promise<StoredProject> {
  const folder = join(root, `p${n++}`);
  const created = (await projectStoreAdapter().create({
    folder,
    name: 'Adapter test',
    size: { width: 512, height: 512 },
    fps: 24,
  })) as StoredProject;
  if (!generator) return created;
  const file = join(folder, 'project.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...doc, generator }));
  return (await projectStoreAdapter().open(folder)) as StoredProject;
}

/** What is on disk, as the next process would read it. */
function saved(p: StoredProject): { generator: { id: string; params: Record<string, unknown> } } {
  return JSON.parse(readFileSync(join(p.folder, 'project.json'), 'utf8'));
}

const handMade = {
  pack: 'sd15-openpose',
  steps: 12,
  guidance: 4,
  seed: 77,
  prompt: 'a knitted toy dancing',
  negativePrompt: 'blurry',
  controlnetScale: 0.6,
  crossFrame: 'previous',
  stickWidth: 'high-resolution',
  referenceMode: 'noised',
  styleFidelity: 0.3,
  referenceAdain: true,
};

describe('render settings of a project', () => {
  it("returns a diffusion project's parameters as render.defaults, valid by the contract", async () => {
    const p = await project({ id: 'diffusion', params: handMade });
    const s = p.renderSettings();
    expect(s).toMatchObject({ generator: 'diffusion', pack: 'sd15-openpose' });
    expect(s.diffusion).toEqual({
      prompt: 'a knitted toy dancing',
      negativePrompt: 'blurry',
      steps: 12,
      guidance: 4,
      controlnetScale: 0.6,
      seed: 77,
      crossFrame: 'previous',
      stickWidth: 'high-resolution',
      referenceMode: 'noised',
      styleFidelity: 0.3,
      referenceAdain: true,
    });
    expect(parseResult('render.defaults', s)).toEqual(s);

    // Defaults filled in by the project format; no seed = the render seed (no key at all).
    const q = await project({ id: 'diffusion', params: { pack: 'p' } });
    expect(q.renderSettings().diffusion).toEqual({
      prompt: '',
      negativePrompt: '',
      steps: 25,
      guidance: 7.5,
      controlnetScale: 1,
      crossFrame: 'off',
      stickWidth: 'classic',
      referenceMode: 'clean',
      styleFidelity: 0,
      referenceAdain: false,
    });
    expect(Object.keys(q.renderSettings().diffusion!)).not.toContain('seed');

    const puppet = (await project()).renderSettings();
    expect(puppet.generator).toBe('puppet');
    expect(puppet.pack).toBeUndefined();
    expect(puppet.diffusion).toBeUndefined();
  });

  it("writes the settings' parameters into project.json, a cleared seed included", async () => {
    const p = await project({ id: 'diffusion', params: handMade });
    const next: DiffusionSettings = {
      prompt: 'a robot waving',
      negativePrompt: '',
      steps: 40,
      guidance: 9,
      controlnetScale: 1.5,
      crossFrame: 'off',
      stickWidth: 'high-resolution',
      referenceMode: 'noised',
      styleFidelity: 0.5,
      referenceAdain: true,
    };
    await p.applyRenderSettings({ ...p.renderSettings(), pack: 'other-pack', diffusion: next });
    expect(saved(p).generator).toEqual({
      id: 'diffusion',
      params: { pack: 'other-pack', ...next },
    });
    expect(p.renderSettings().diffusion).toEqual(next);
    // Reopened from disk: the same.
    const again = (await projectStoreAdapter().open(p.folder)) as StoredProject;
    expect(again.renderSettings()).toEqual(p.renderSettings());
  });

  it('switches a puppet project to diffusion with the parameters the user set', async () => {
    const p = await project();
    const params: DiffusionSettings = {
      prompt: 'watercolour',
      negativePrompt: 'text',
      steps: 8,
      guidance: 1,
      controlnetScale: 1,
      seed: 0,
      crossFrame: 'previous',
      stickWidth: 'classic',
      referenceMode: 'clean',
      styleFidelity: 0,
      referenceAdain: false,
    };
    // Through the contract, as the UI sends it.
    const { settings } = parseParams('render.start', {
      settings: { ...p.renderSettings(), generator: 'diffusion', pack: 'tiny', diffusion: params },
    });
    await p.applyRenderSettings(settings);
    expect(saved(p).generator).toEqual({ id: 'diffusion', params: { pack: 'tiny', ...params } });
  });

  it('keeps the parameters when only the pack changes (no block in the settings)', async () => {
    const p = await project({ id: 'diffusion', params: handMade });
    const { diffusion: _d, ...packOnly } = p.renderSettings();
    await p.applyRenderSettings({ ...packOnly, pack: 'renamed' });
    expect(saved(p).generator).toEqual({
      id: 'diffusion',
      params: { ...handMade, pack: 'renamed' },
    });
  });

  it('keeps them across puppet ↔ diffusion in the settings; the puppet project holds none', async () => {
    const p = await project({ id: 'diffusion', params: handMade });
    const form: RenderSettings = p.renderSettings();
    // The form switches to the puppet and renders: the project is a puppet project, nothing of
    // diffusion left behind (as for the pack) …
    await p.applyRenderSettings({ ...form, generator: 'puppet' });
    expect(saved(p).generator).toEqual({ id: 'puppet', params: { background: 'plate' } });
    expect(p.renderSettings().diffusion).toBeUndefined();
    // … and the same settings switched back write exactly what the project had.
    await p.applyRenderSettings({ ...form, generator: 'diffusion' });
    expect(saved(p).generator).toEqual({ id: 'diffusion', params: handMade });
    expect(p.renderSettings()).toEqual(form);
  });

  it('refuses parameters out of bounds before anything is written', async () => {
    const p = await project({ id: 'diffusion', params: handMade });
    const before = readFileSync(join(p.folder, 'project.json'), 'utf8');
    const bad = { ...p.renderSettings().diffusion!, steps: 0 };
    expect(() =>
      parseParams('render.start', { settings: { ...p.renderSettings(), diffusion: bad } }),
    ).toThrow(ApiError);
    // Even past the contract (a caller in this process), the project store refuses it.
    await expect(
      p.applyRenderSettings({ ...p.renderSettings(), diffusion: bad }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/steps/) });
    expect(readFileSync(join(p.folder, 'project.json'), 'utf8')).toBe(before);
  });
});

describe('the picture of an open project stays inside it', () => {
  it('neither reads nor hands the engine a picture that is a link to a file outside', async () => {
    const p = await project();
    const outside = join(root, `outside-${n++}.png`);
    await sharp({
      create: { width: 40, height: 30, channels: 3, background: '#808080' },
    })
      .png()
      .toFile(outside);
    mkdirSync(join(p.folder, 'assets'), { recursive: true });
    symlinkSync(outside, join(p.folder, 'assets', 'hero.png'));
    const file = join(p.folder, 'project.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const hero = {
      id: 'hero',
      name: 'Hero',
      picture: 'assets/hero.png',
      referencePose: new Array<number>(408).fill(0),
      referenceFrames: [],
    };
    writeFileSync(file, JSON.stringify({ ...doc, characters: [hero] }));
    const opened = (await projectStoreAdapter().open(p.folder)) as StoredProject;
    const c = await opened.character();
    expect([c.pictureWidth, c.pictureHeight]).toEqual([0, 0]);
    await expect(opened.picturePath()).rejects.toThrow(
      /assets\/hero\.png is a link to a file outside the project/,
    );
    await expect(opened.picturePath()).rejects.toMatchObject({
      hint: 'Fix the project folder as the message says, then try again.',
    });
  });
});

describe('changes made at the same time', () => {
  it('keeps every change: a track save, a joint move and render settings sent together', async () => {
    const p = await project();
    const picture = await sharp({
      create: { width: 64, height: 96, channels: 3, background: '#c83' },
    })
      .png()
      .toBuffer();
    await p.importPicture('kid.png', picture);
    const track = { id: 'walk', name: 'Walk', width: 512, height: 512, fps: 24, people: [] };
    const moved = { ...track, name: 'Saved while a joint moved' };
    // Not awaited one by one: the studio's autosave, a joint drag and the render form can all
    // be in flight at once. Each starts from the project as it is when it runs.
    await Promise.all([
      p.saveTrack(moved),
      p.moveJoint(1, 30, 40),
      p.applyRenderSettings({ ...p.renderSettings(), segmentLength: 32 }),
    ]);
    const disk = JSON.parse(readFileSync(join(p.folder, 'project.json'), 'utf8'));
    expect(disk.tracks.find((t: { id: string }) => t.id === track.id).name).toBe(moved.name);
    expect(disk.characters[0].referencePose.slice(3, 5)).toEqual([30, 40]);
    expect(disk.render.segmentLength).toBe(32);
  });

  it('a change that fails does not stop the ones after it', async () => {
    const p = await project();
    const bad = p.importPicture('not-a-picture.png', new TextEncoder().encode('hello'));
    const good = p.applyRenderSettings({ ...p.renderSettings(), segmentLength: 40 });
    await expect(bad).rejects.toThrow();
    await good;
    expect(
      JSON.parse(readFileSync(join(p.folder, 'project.json'), 'utf8')).render.segmentLength,
    ).toBe(40);
  });
});
