import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaResponse } from './mediaFiles';

const root = mkdtempSync(join(tmpdir(), 'ps-media-'));
const project = join(root, 'project');
mkdirSync(join(project, 'renders'), { recursive: true });
writeFileSync(join(project, 'renders', 'out.mp4'), '0123456789');
writeFileSync(join(project, 'project.json'), '{}');
writeFileSync(join(root, 'secret.png'), 'secret');
symlinkSync(join(root, 'secret.png'), join(project, 'link.png'));
mkdirSync(join(root, 'elsewhere'));
writeFileSync(join(root, 'elsewhere', 'private.mp4'), 'private');
symlinkSync(join(root, 'elsewhere'), join(project, 'linked-folder'));
execFileSync('mkfifo', [join(project, 'renders', 'pipe.mp4')]);
symlinkSync('loop.png', join(project, 'loop.png'));
symlinkSync(join(root, 'gone.png'), join(project, 'dangling.png'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('project media', () => {
  it('serves a file inside the project with its type', async () => {
    const r = await mediaResponse(project, 'renders/out.mp4');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('video/mp4');
    expect(await text(r.body as NodeJS.ReadableStream)).toBe('0123456789');
  });

  it('serves byte ranges for video seeking', async () => {
    const r = await mediaResponse(project, 'renders/out.mp4', 'bytes=2-5');
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 2-5/10');
    expect(await text(r.body as NodeJS.ReadableStream)).toBe('2345');
    expect(
      (await mediaResponse(project, 'renders/out.mp4', 'bytes=-3')).headers['content-range'],
    ).toBe('bytes 7-9/10');
    expect((await mediaResponse(project, 'renders/out.mp4', 'bytes=50-')).status).toBe(416);
  });

  it('refuses paths out of the project, through symlinks, and non-media files', async () => {
    expect((await mediaResponse(project, '../secret.png')).status).toBe(400);
    expect((await mediaResponse(project, '/etc/passwd.png')).status).toBe(400);
    expect((await mediaResponse(project, 'link.png')).status).toBe(403);
    expect((await mediaResponse(project, 'project.json')).status).toBe(403);
    expect((await mediaResponse(project, 'missing.png')).status).toBe(404);
    expect((await mediaResponse(null, 'renders/out.mp4')).status).toBe(404);
  });

  it('refuses a linked folder, a pipe, a link loop and a dangling link without hanging', async () => {
    expect((await mediaResponse(project, 'linked-folder/private.mp4')).status).toBe(403);
    expect((await mediaResponse(project, 'renders/pipe.mp4')).status).toBe(403);
    expect((await mediaResponse(project, 'loop.png')).status).toBe(403);
    expect((await mediaResponse(project, 'dangling.png')).status).toBe(403);
  });
});
