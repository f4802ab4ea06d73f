/**
 * The character's mask through the studio's API (ApiService → project store → preview engine
 * process): `character.mask` gives the mask actually used, its source, the part map, the layers
 * and every warning with its fix; `character.importMask` refuses hostile files and changes
 * nothing then; a mask path that leads out of the project is refused; `character.setLayers` and
 * `character.clearMask` reach the engine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/index';
import { characterMaskSchema } from '#shared/api/characterMask';
import { BONES } from '#shared/puppet/bones';
import { EngineClient } from '#main/engine/client/engineClient';
import { ApiService } from '#main/services/api/apiService';
import { PreviewAdapter } from '#main/services/api/previewAdapter';
import { projectStoreAdapter } from '#main/services/api/projectAdapter';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { PHOTO_CASES, ROOT, firstPerson } from '../../../bench/masks/photoCases';

const root = mkdtempSync(join(tmpdir(), 'ps-mask-api-'));
const spin = PHOTO_CASES[1]!;
const folder = join(root, 'player');
let api: ApiService;

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const projectJson = () => readFileSync(join(folder, 'project.json'), 'utf8');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const maskView = async () => characterMaskSchema.parse(await api.call('character.mask', {}));

beforeAll(async () => {
  const session = await projectStoreAdapter().create({
    folder,
    name: 'player',
    size: { width: 256, height: 256 },
    fps: 24,
  });
  await session.importPicture('spin_im1010.jpg', readFileSync(spin.photo));
  await session.setReferencePose!(firstPerson(spin.pose, 153, 192));
  api = new ApiService({
    mode: 'browser',
    version: '0.0.0',
    platform: 'linux',
    settings: new SettingsService(memorySettingsBackend()),
    shell: { openFolder: async () => false },
    projects: projectStoreAdapter(),
    preview: new PreviewAdapter({ startEngine: () => EngineClient.start({ threads: 1 }) }),
  });
  await api.call('projects.open', { folder });
}, 60_000);
afterAll(async () => {
  await api?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the character mask through the API', { timeout: 120_000 }, () => {
  it('character.mask: the model mask of a photo, its parts, layers and warnings', async () => {
    const view = await maskView();
    expect([view.width, view.height]).toEqual([153, 192]);
    expect(view.source).toBe('segmentation');
    expect(view.segmentation?.model).toBe('blazepose-full');
    const png = Buffer.from(view.maskPngBase64, 'base64');
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 153, 192, 1]);
    const mask = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(mask.data.filter((v) => v === 255).length).toBe(view.pixels);
    const parts = await sharp(Buffer.from(view.partsPngBase64, 'base64'))
      .extractChannel(0)
      .raw()
      .toBuffer();
    for (let i = 0; i < parts.length; i++) expect(parts[i]! > 0).toBe(mask.data[i] === 255);
    expect(view.layers.map((l) => l.part)).toEqual(BONES.map((b) => b.name));
    // A 153×192 photo's player is small: said, with what to do.
    const tiny = view.warnings.find((w) => w.code === 'tiny-character');
    expect(tiny?.fix).toMatch(/larger picture/);
  });

  it('character.importMask refuses hostile files and leaves the project as it was', async () => {
    const before = projectJson();
    const truth = readFileSync(join(ROOT, 'test/fixtures/masks/spin_im1010_mask.png'));
    const grey = (w: number, h: number, v: number) =>
      sharp(Buffer.alloc(w * h, v), { raw: { width: w, height: h, channels: 1 } })
        .png()
        .toBuffer();
    const cases: [string, Uint8Array, RegExp][] = [
      ['mask.png', readFileSync(spin.photo), /not a PNG/],
      ['mask.png', new Uint8Array(Buffer.from('hello, not a picture at all')), /not a PNG/],
      ['mask.png', truth.subarray(0, Math.floor(truth.length / 2)), /cannot be read/],
      ['mask.png', await grey(200, 100, 255), /200×100 but the picture is 153×192/],
      ['mask.png', await grey(153, 192, 0), /all black/],
      ['mask.png', await grey(153, 192, 255), /all white/],
    ];
    for (const [fileName, bytes, message] of cases) {
      const e = await rejection(
        api.call('character.importMask', { fileName, dataBase64: b64(bytes) }),
      );
      expect(e.code).toBe('bad-request');
      expect(e.message).toMatch(message);
      expect(e.hint).toBeTruthy();
    }
    expect(projectJson()).toBe(before);
  });

  it('a mask at twice the size is imported, scaled by the engine, with a warning', async () => {
    const big = await sharp(join(ROOT, 'test/fixtures/masks/spin_im1010_mask.png'))
      .resize(306, 384, { kernel: 'nearest' })
      .png()
      .toBuffer();
    const character = (await api.call('character.importMask', {
      fileName: 'player-mask.png',
      dataBase64: b64(big),
    })) as { mask: string };
    expect(character.mask).toMatch(/^assets\/player-mask.*\.png$/);
    const view = await maskView();
    expect(view.source).toBe('user');
    expect(view.warnings.map((w) => w.code)).toContain('mask-resized');
    // The mask editor's "Auto": the mask the puppet would make without the user's file, while
    // the project keeps that file.
    const auto = characterMaskSchema.parse(await api.call('character.mask', { automatic: true }));
    expect(auto.source).toBe('segmentation');
    expect(JSON.parse(projectJson()).characters[0].mask).toBe(character.mask);
    for (const hostile of [
      { automatic: 'yes' },
      { automatic: 1 },
      { automatic: true, path: '/' },
    ]) {
      const e = await rejection(api.call('character.mask', hostile as never));
      expect(e.code).toBe('bad-request');
    }
  });

  it('layer overrides reach the engine; an unknown bone is refused', async () => {
    await api.call('character.setLayers', { layers: { rUpperArm: 9 } });
    const view = await maskView();
    expect(view.layers.find((l) => l.part === 'rUpperArm')).toEqual({
      part: 'rUpperArm',
      layer: 9,
      overridden: true,
    });
    expect(view.layers.filter((l) => l.overridden)).toHaveLength(1);
    const e = await rejection(api.call('character.setLayers', { layers: { tail: 1 } }));
    expect(e.message).toMatch(/tail/);
    await api.call('character.setLayers', { layers: {} });
    expect(JSON.parse(projectJson()).characters[0].layers).toBeUndefined();
  });

  it('a mask path that leads out of the project is refused', async () => {
    const outside = join(root, 'elsewhere');
    await mkdir(outside, { recursive: true });
    writeFileSync(
      join(outside, 'm.png'),
      readFileSync(join(ROOT, 'test/fixtures/masks/spin_im1010_mask.png')),
    );
    await symlink(join(outside, 'm.png'), join(folder, 'assets', 'linked-mask.png'));
    const json = JSON.parse(projectJson());
    json.characters[0].mask = 'assets/linked-mask.png';
    writeFileSync(join(folder, 'project.json'), JSON.stringify(json));
    await api.call('projects.open', { folder });
    const e = await rejection(api.call('character.mask', {}));
    expect(e.message).toMatch(/linked-mask\.png/);
    expect(e.message).toMatch(/link/);
  });

  it('character.clearMask goes back to the automatic mask', async () => {
    await api.call('character.clearMask', {});
    expect(JSON.parse(projectJson()).characters[0].mask).toBeUndefined();
    expect((await maskView()).source).toBe('segmentation');
  });
});
