import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, resolveInsideProject } from './projectPaths';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'ps-confine-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** A fresh project folder with `assets/`, and a folder outside it with a file. */
function setup(): { project: string; outside: string } {
  const root = join(base, `case-${n++}`);
  const project = join(root, 'project');
  const outside = join(root, 'outside');
  mkdirSync(join(project, 'assets'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.png'), 'secret');
  writeFileSync(join(project, 'assets', 'hero.png'), 'hero');
  return { project, outside };
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('resolveInsideProject', () => {
  it('returns the real path of a file inside, also through a link that stays inside', async () => {
    const { project } = setup();
    symlinkSync('hero.png', join(project, 'assets', 'alias.png'));
    const r = await resolveInsideProject(project, 'assets/alias.png', { kind: 'file' });
    expect(r).toEqual({ path: join(project, 'assets', 'hero.png'), exists: true });
  });

  it('refuses a linked picture that leads to a file outside, naming the path and the fix', async () => {
    const { project, outside } = setup();
    symlinkSync(join(outside, 'secret.png'), join(project, 'assets', 'pic.png'));
    const msg = await reason(
      resolveInsideProject(project, 'assets/pic.png', { field: 'characters[0].picture' }),
    );
    expect(msg).toBe(
      "characters[0].picture: assets/pic.png is a link to a file outside the project; copy the file into the project's assets folder",
    );
    expect(msg).not.toContain(outside);
  });

  it('refuses a linked assets/ folder that leads outside, naming the folder', async () => {
    const { project, outside } = setup();
    rmSync(join(project, 'assets'), { recursive: true });
    symlinkSync(outside, join(project, 'assets'));
    expect(await reason(resolveInsideProject(project, 'assets/secret.png'))).toMatch(
      /^project: assets is a link to a folder outside the project; replace the link with a real folder/,
    );
    // Also for a file that does not exist yet (a write would land outside).
    expect(await reason(resolveInsideProject(project, 'assets/new.png'))).toMatch(
      /assets is a link to a folder outside the project/,
    );
  });

  it('refuses a cache/ folder linked outside, with a fix that keeps the user folder', async () => {
    const { project, outside } = setup();
    symlinkSync(outside, join(project, 'cache'));
    expect(await reason(resolveInsideProject(project, 'cache/segments', { kind: 'folder' }))).toBe(
      'project: cache is a link to a folder outside the project; delete the link: Pose Studio makes a new cache folder inside the project (everything in it can be rendered again)',
    );
  });

  it.each([
    ['../outside/secret.png', /escapes the project folder/],
    ['assets/../../outside/secret.png', /escapes the project folder/],
    ['/etc/passwd', /is absolute/],
    ['C:\\Windows\\win.ini', /drive letter/],
  ])('refuses %j before touching the disk', async (path, why) => {
    const { project } = setup();
    expect(await reason(resolveInsideProject(project, path))).toMatch(why);
  });

  it('refuses a named pipe quickly instead of blocking on it', async () => {
    const { project } = setup();
    execFileSync('mkfifo', [join(project, 'assets', 'pipe.png')]);
    expect(await reason(resolveInsideProject(project, 'assets/pipe.png'))).toBe(
      'project: assets/pipe.png is a named pipe, not a file; replace it with a real file',
    );
  });

  it('refuses a link loop and a dangling link, naming the link', async () => {
    const { project } = setup();
    symlinkSync('loop.png', join(project, 'assets', 'loop.png'));
    symlinkSync(join(project, 'assets', 'gone.png'), join(project, 'assets', 'dangling.png'));
    expect(await reason(resolveInsideProject(project, 'assets/loop.png'))).toMatch(
      /^project: assets\/loop\.png is a link that leads back to itself \(a loop\)/,
    );
    expect(await reason(resolveInsideProject(project, 'assets/dangling.png'))).toMatch(
      /^project: assets\/dangling\.png is a link to something that does not exist/,
    );
    // A dangling folder link must not let a write create folders outside either.
    symlinkSync(join(base, 'nowhere', 'cache'), join(project, 'cache'));
    expect(await reason(resolveInsideProject(project, 'cache/segments/ab'))).toMatch(
      /^project: cache is a link to something that does not exist/,
    );
  });

  it('reports a missing path as not existing (or refuses it when it must exist)', async () => {
    const { project } = setup();
    expect(await resolveInsideProject(project, 'cache/segments/ab')).toEqual({
      path: join(project, 'cache', 'segments', 'ab'),
      exists: false,
    });
    expect(
      await reason(resolveInsideProject(project, 'assets/missing.png', { mustExist: true })),
    ).toBe('project: assets/missing.png does not exist');
  });

  it('refuses the wrong kind, and a path through a file', async () => {
    const { project } = setup();
    expect(await reason(resolveInsideProject(project, 'assets', { kind: 'file' }))).toMatch(
      /assets is a folder, not a file/,
    );
    expect(await reason(resolveInsideProject(project, 'assets/hero.png/x'))).toMatch(
      /assets\/hero\.png is a file, not a folder/,
    );
  });

  it('accepts a project opened through a link to its folder (real path resolved once)', async () => {
    const { project } = setup();
    const alias = join(base, `alias-${n++}`);
    symlinkSync(project, alias);
    const root = await projectRoot(alias);
    expect(root.real).toBe(project);
    expect((await resolveInsideProject(root, 'assets/hero.png')).path).toBe(
      join(project, 'assets', 'hero.png'),
    );
  });
});
