import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import { writeManifest } from '#main/scheduler/job/jobManifest';
import { SAMPLE_PROJECT, captureIO, copySample, fakeWorkers } from './helpers';

/**
 * A project folder may not reach outside itself: links to files or folders elsewhere, pipes,
 * loops, `..` and absolute paths are refused by `render` with a line naming the project path and
 * the fix, before anything is read from or written to the place they lead to.
 */
const { root } = copySample('ps-confine-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh copy of the sample project and an empty folder of the user's outside it. */
function fresh(): { project: string; outside: string; out: string } {
  const id = n++;
  const project = join(root, `p${id}`);
  const outside = join(root, `outside${id}`);
  cpSync(SAMPLE_PROJECT, project, { recursive: true });
  mkdirSync(outside);
  return { project, outside, out: join(root, `out${id}.mp4`) };
}

function render(args: string[]) {
  const c = captureIO(root);
  return runRender(args, c.io, { startWorkers: fakeWorkers(), env: process.env });
}

interface ProjectFile {
  characters: { picture: string }[];
  output: { audio?: string };
}

function editProject(project: string, edit: (p: ProjectFile) => void): void {
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as ProjectFile;
  edit(p);
  writeFileSync(file, JSON.stringify(p));
}

describe('render: a project cannot reach outside its folder', () => {
  it('refuses a picture that is a link to a file outside', async () => {
    const { project, outside, out } = fresh();
    renameSync(join(project, 'assets', 'sprout.png'), join(outside, 'private.png'));
    symlinkSync(join(outside, 'private.png'), join(project, 'assets', 'sprout.png'));
    const err = await render([project, '-o', out]).catch((e: Error) => e.message);
    expect(err).toMatch(
      /characters\.picture: assets\/sprout\.png is a link to a file outside the project; copy the file into the project's assets folder$/,
    );
    expect(err).not.toContain(outside);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an assets/ folder that is a link to a folder outside', async () => {
    const { project, outside, out } = fresh();
    rmSync(outside, { recursive: true });
    renameSync(join(project, 'assets'), outside);
    symlinkSync(outside, join(project, 'assets'));
    await expect(render([project, '-o', out])).rejects.toThrow(
      /characters\.picture: assets is a link to a folder outside the project; replace the link with a real folder/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a named pipe as the picture at once (a read would block forever)', async () => {
    const { project, out } = fresh();
    rmSync(join(project, 'assets', 'sprout.png'));
    execFileSync('mkfifo', [join(project, 'assets', 'sprout.png')]);
    await expect(render([project, '-o', out])).rejects.toThrow(
      /characters\.picture: assets\/sprout\.png is a named pipe, not a file/,
    );
  });

  it('refuses a picture link loop and a dangling picture link', async () => {
    const loop = fresh();
    rmSync(join(loop.project, 'assets', 'sprout.png'));
    symlinkSync('sprout.png', join(loop.project, 'assets', 'sprout.png'));
    await expect(render([loop.project, '-o', loop.out])).rejects.toThrow(
      /assets\/sprout\.png is a link that leads back to itself \(a loop\)/,
    );
    const dangling = fresh();
    rmSync(join(dangling.project, 'assets', 'sprout.png'));
    symlinkSync(join(dangling.outside, 'gone.png'), join(dangling.project, 'assets', 'sprout.png'));
    await expect(render([dangling.project, '-o', dangling.out])).rejects.toThrow(
      /assets\/sprout\.png is a link to something that does not exist/,
    );
  });

  it.each([
    ['../outside/sprout.png', /escapes the project folder/],
    ['assets/../../sprout.png', /escapes the project folder/],
    ['/etc/hostname', /is absolute/],
  ])('refuses %j as the picture path in project.json', async (path, why) => {
    const { project, out } = fresh();
    editProject(project, (p) => {
      p.characters[0]!.picture = path;
    });
    await expect(render([project, '-o', out])).rejects.toThrow(why);
  });

  it('refuses audio that is a link to a file outside', async () => {
    const { project, outside, out } = fresh();
    writeFileSync(join(outside, 'song.m4a'), 'x');
    symlinkSync(join(outside, 'song.m4a'), join(project, 'assets', 'song.m4a'));
    editProject(project, (p) => {
      p.output.audio = 'assets/song.m4a';
    });
    await expect(render([project, '-o', out])).rejects.toThrow(
      /output\.audio: assets\/song\.m4a is a link to a file outside the project/,
    );
  });

  it('does not write a cache into a cache/ folder linked to a user folder', async () => {
    const { project, outside, out } = fresh();
    symlinkSync(outside, join(project, 'cache'));
    await expect(render([project, '-o', out, '--to', '24'])).rejects.toThrow(
      /cache is a link to a folder outside the project; delete the link/,
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('does not write job manifests into a renders/ folder linked to a user folder', async () => {
    const { project, outside, out } = fresh();
    symlinkSync(outside, join(project, 'renders'));
    await expect(render([project, '-o', out, '--to', '24'])).rejects.toThrow(
      /renders is a link to a folder outside the project; replace the link with a real folder/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('--resume without -o does not write to an output a manifest names outside the project', async () => {
    const { project, outside } = fresh();
    const victim = join(outside, 'holiday.mp4');
    writeFileSync(victim, 'the user’s own video');
    await writeManifest(project, {
      version: 1,
      jobId: 'aaaaaaaaaaaa',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      state: 'failed',
      output: victim,
      format: 'mp4',
      from: 0,
      to: 24,
      width: 512,
      height: 512,
      fps: 24,
      segments: [],
      attempts: [],
      error: null,
    });
    await expect(render([project, '--resume'])).rejects.toThrow(
      /writes to .*holiday\.mp4, outside the project folder; to continue it there, run again with -o/,
    );
    expect(readFileSync(victim, 'utf8')).toBe('the user’s own video');
  });
});
