import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ApiService } from './apiService';
import { projectStoreAdapter } from './projectAdapter';

const root = mkdtempSync(join(tmpdir(), 'ps-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function service(withProjects = true) {
  return new ApiService({
    mode: 'browser',
    version: '1.2.3',
    platform: 'linux',
    settings: new SettingsService(memorySettingsBackend()),
    shell: { openFolder: async () => false },
    ...(withProjects ? { projects: projectStoreAdapter() } : {}),
  });
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

describe('ApiService', () => {
  it('validates method names and params before anything runs', async () => {
    const api = service();
    expect((await rejection(api.call('projects.delete', {}))).code).toBe('unknown-method');
    const bad = await rejection(api.call('projects.open', { folder: 42 }));
    expect(bad.code).toBe('bad-request');
    expect(bad.message).toMatch(/^projects\.open: params\.folder: /);
    expect((await rejection(api.call('app.info', { extra: 1 }))).message).toMatch(
      /Unrecognized key/,
    );
  });

  it('says which services this build has, and answers unavailable for missing ones', async () => {
    const api = service(false);
    expect(await api.call('app.info', {})).toMatchObject({
      version: '1.2.3',
      services: { projects: false, render: false },
    });
    const e = await rejection(api.call('projects.open', { folder: root }));
    expect(e.code).toBe('unavailable');
    expect(e.hint).toBeTruthy();
  });

  it('needs an open project for project calls', async () => {
    expect((await rejection(service().call('character.get', {}))).code).toBe('no-project');
  });

  it('creates and reopens a real project, remembers it, and edits its character', async () => {
    const api = service();
    const folder = join(root, 'p1');
    const summary = await api.call('projects.create', {
      folder,
      name: 'Wave',
      size: { width: 320, height: 240 },
      fps: 30,
    });
    expect(summary).toMatchObject({ name: 'Wave', width: 320, height: 240, fps: 30 });
    expect(await api.call('projects.recent', {})).toMatchObject([{ path: folder, name: 'Wave' }]);
    expect(await api.call('character.get', {})).toMatchObject({ picture: null, joints: [] });

    const png = await sharp({
      create: { width: 40, height: 60, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer();
    const c = (await api.call('character.importPicture', {
      fileName: 'My Hero.png',
      dataBase64: png.toString('base64'),
    })) as {
      picture: string;
      pictureWidth: number;
    };
    expect(c.picture).toMatch(/^assets\/.+\.png$/);
    expect(c.pictureWidth).toBe(40);
    const moved = (await api.call('character.moveJoint', { index: 4, x: 10, y: 20 })) as {
      joints: { index: number; x: number }[];
    };
    expect(moved.joints).toEqual([
      expect.objectContaining({ index: 4, x: 10, y: 20, name: expect.any(String) }),
    ]);

    const again = service();
    await again.call('projects.open', { folder });
    expect(again.projectFolder()).toBe(folder);
    expect(await again.call('character.get', {})).toMatchObject({
      picture: c.picture,
      joints: [{ index: 4, x: 10, y: 20 }],
    });
  });

  it("renders at the picture's own size: the output follows an imported picture unless the user set one", async () => {
    const api = service();
    await api.call('projects.create', {
      folder: join(root, 'follows'),
      name: 'Follows',
      size: { width: 512, height: 512 },
      fps: 24,
    });
    const picture = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: '#808080' } })
        .png()
        .toBuffer()
        .then((b) => b.toString('base64'));
    const importIt = async (width: number, height: number) =>
      api.call('character.importPicture', {
        fileName: 'p.png',
        dataBase64: await picture(width, height),
      });
    await importIt(641, 425);
    // MP4 needs even sides: one column and one row less, aspect kept, nothing upscaled.
    expect(await api.call('projects.current', {})).toMatchObject({ width: 640, height: 424 });
    await importIt(153, 192);
    expect(await api.call('projects.current', {})).toMatchObject({ width: 152, height: 192 });
    // A size the user chose stays when a picture comes.
    await api.call('projects.create', {
      folder: join(root, 'chosen'),
      name: 'Chosen',
      size: { width: 320, height: 240 },
      fps: 24,
    });
    await importIt(300, 300);
    expect(await api.call('projects.current', {})).toMatchObject({ width: 320, height: 240 });
  });

  it("drops the old picture's mask when a new picture replaces it", async () => {
    const folder = join(root, 'sample-copy');
    cpSync(join(process.cwd(), 'assets', 'sample-project'), folder, { recursive: true });
    const api = service();
    await api.call('projects.open', { folder });
    expect(await api.call('character.get', {})).toMatchObject({ mask: expect.any(String) });
    const png = await sharp({
      create: { width: 32, height: 48, channels: 3, background: '#884422' },
    })
      .png()
      .toBuffer();
    await api.call('character.importPicture', {
      fileName: 'other.png',
      dataBase64: png.toString('base64'),
    });
    expect(await api.call('character.get', {})).toMatchObject({ mask: null });

    // A picture in parts (as the UI sends large ones): the same bytes end up in the project.
    const big = await sharp({
      create: { width: 50, height: 70, channels: 3, background: '#224488' },
    })
      .png()
      .toBuffer();
    const uploadId = 'test-upload-1';
    for (let offset = 0; offset < big.length; offset += 40) {
      await api.call('character.uploadPicturePart', {
        uploadId,
        offset,
        total: big.length,
        dataBase64: big.subarray(offset, offset + 40).toString('base64'),
      });
    }
    const parts = (await api.call('character.importPicture', {
      fileName: 'parts.png',
      uploadId,
    })) as {
      picture: string;
      pictureWidth: number;
    };
    expect(parts.pictureWidth).toBe(50);
    expect(readFileSync(join(folder, parts.picture))).toEqual(big);
    await expect(
      api.call('character.importPicture', { fileName: 'x.png', uploadId, dataBase64: 'AAAA' }),
    ).rejects.toThrow(/exactly one/);
    const saved = JSON.parse(readFileSync(join(folder, 'project.json'), 'utf8')) as {
      characters: { mask?: string }[];
    };
    expect(saved.characters[0]!.mask).toBeUndefined();
  });

  it('refuses a file that is not a picture, and a folder that is not a project, with what to do', async () => {
    const api = service();
    await api.call('projects.create', {
      folder: join(root, 'p2'),
      name: 'P2',
      size: { width: 64, height: 64 },
      fps: 24,
    });
    const notPic = await rejection(
      api.call('character.importPicture', {
        fileName: 'x.png',
        dataBase64: Buffer.from('hello').toString('base64'),
      }),
    );
    expect(notPic.message).toMatch(/not a picture/);
    writeFileSync(join(root, 'empty.txt'), '');
    const missing = await rejection(
      api.call('projects.open', { folder: join(root, 'nothing-here') }),
    );
    expect(missing.code).toBe('not-found');
    expect(missing.hint).toMatch(/project\.json/);
    const twice = await rejection(
      api.call('projects.create', {
        folder: join(root, 'p2'),
        name: 'P2',
        size: { width: 64, height: 64 },
        fps: 24,
      }),
    );
    expect(twice.code).toBe('conflict');
  });

  it('saves and reads the pose track the editor edits, validated by the project schema', async () => {
    const api = service();
    await api.call('projects.create', {
      folder: join(root, 'p3'),
      name: 'P3',
      size: { width: 64, height: 64 },
      fps: 24,
    });
    expect(await api.call('track.get', {})).toBeNull();
    const points = new Array<number>(408).fill(0);
    points.splice(0, 3, 10, 20, 1);
    const track = {
      id: 'walk',
      name: 'Walk',
      width: 64,
      height: 64,
      fps: 24,
      people: [
        { personId: 0, keyframes: [{ id: 'k1', frame: 5, points, easing: { kind: 'linear' } }] },
      ],
    };
    expect(await api.call('track.save', { track })).toMatchObject({ people: 1, keyframes: 1 });
    expect(await api.call('track.get', {})).toMatchObject({
      id: 'walk',
      people: [{ keyframes: [{ frame: 5 }] }],
    });
    const bad = await rejection(
      api.call('track.save', {
        track: {
          ...track,
          people: [
            {
              personId: 0,
              keyframes: [{ id: 'k1', frame: 5, points: [1, 2], easing: { kind: 'linear' } }],
            },
          ],
        },
      }),
    );
    expect(bad.message).toMatch(
      /params\.track\.people\.0\.keyframes\.0\.points: must have 408 numbers/,
    );
  });
});
