import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import { CliError } from '#main/cli/cliError';
import { captureIO, copySample, fakeWorkers } from './helpers';

/**
 * Nothing a user made is removed or silently replaced by a render's output (issue 13): an
 * existing folder or file at `-o` is refused unless it is this render's previous output or
 * `--overwrite` is given, and even then only the files the render writes are replaced.
 */
const { root, project } = copySample('ps-outsafe-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const deps = { startWorkers: fakeWorkers(), env: process.env };

async function render(args: string[]): Promise<{ code: number; error: string | null }> {
  const c = captureIO(root);
  try {
    return { code: await runRender([project, ...args], c.io, deps), error: null };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, error: e.message };
    throw e;
  }
}

function userFolder(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  return dir;
}

describe('render outputs never remove what the user made', () => {
  for (const format of ['png', 'controlnet', 'conditioning']) {
    it(`--format ${format} into an existing folder of the user's is refused, then kept with --overwrite`, async () => {
      const dir = userFolder(`user-${format}`);
      const r = await render(['-o', dir, '--format', format, '--from', '0', '--to', '3']);
      expect(r.code).toBe(2);
      expect(r.error).toMatch(/already exists and holds files.*--overwrite/);
      expect(r.error).not.toMatch(/\n/);
      expect(readdirSync(dir)).toEqual(['notes.txt']);

      const o = await render([
        '-o',
        dir,
        '--format',
        format,
        '--from',
        '0',
        '--to',
        '3',
        '--overwrite',
      ]);
      expect(o).toEqual({ code: 0, error: null });
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
      const frames = readdirSync(dir).filter((f) => f.startsWith('frame_'));
      expect(frames).toHaveLength(3);
      // no temporary folder left beside it
      expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
    });
  }

  it('the project folder itself is never deleted (controlnet -o <project>)', async () => {
    const before = readFileSync(join(project, 'project.json'), 'utf8');
    const r = await render(['-o', project, '--format', 'controlnet', '--from', '0', '--to', '2']);
    expect(r.code).toBe(2);
    expect(readFileSync(join(project, 'project.json'), 'utf8')).toBe(before);
    expect(existsSync(join(project, 'assets'))).toBe(true);
  });

  it('a PNG render into a new folder can be rendered again into the same folder (its own output)', async () => {
    const dir = join(root, 'own-png');
    expect((await render(['-o', dir, '--format', 'png', '--from', '0', '--to', '2'])).code).toBe(0);
    writeFileSync(join(dir, 'added-later.txt'), 'mine too');
    expect((await render(['-o', dir, '--format', 'png', '--from', '0', '--to', '2'])).code).toBe(0);
    expect(readFileSync(join(dir, 'added-later.txt'), 'utf8')).toBe('mine too');
    expect(readdirSync(dir).filter((f) => f.startsWith('frame_'))).toHaveLength(2);
  });

  it('an existing video file of the user is not replaced without --overwrite; its own re-render is', async () => {
    const out = join(root, 'mine.mp4');
    writeFileSync(out, 'not a video, but mine');
    const r = await render(['-o', out, '--from', '0', '--to', '3']);
    expect(r.code).toBe(2);
    expect(r.error).toMatch(/mine\.mp4 already exists.*--overwrite/);
    expect(readFileSync(out, 'utf8')).toBe('not a video, but mine');
    // a refused render records no job (nothing for --resume to pick up)
    const c = captureIO(root);
    await expect(runRender([project, '--resume'], c.io, deps)).rejects.toThrow(/nothing to resume/);
    expect((await render(['-o', out, '--from', '0', '--to', '3', '--overwrite'])).code).toBe(0);
    expect(readFileSync(out).length).toBeGreaterThan(100);
    // the same render again replaces its own previous output without --overwrite
    expect((await render(['-o', out, '--from', '0', '--to', '3'])).code).toBe(0);
    // … but not once the user replaced the file with one of their own
    writeFileSync(out, 'mine again');
    expect((await render(['-o', out, '--from', '0', '--to', '3'])).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('mine again');
  });

  it('outputs with a 255-byte name render (temporary names do not grow the name)', async () => {
    const file = join(root, `${'f'.repeat(251)}.mp4`);
    expect((await render(['-o', file, '--from', '0', '--to', '2'])).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const folder = join(root, 'd'.repeat(255));
    expect((await render(['-o', folder, '--format', 'png', '--from', '0', '--to', '2'])).code).toBe(
      0,
    );
    expect(readdirSync(folder).filter((f) => f.startsWith('frame_'))).toHaveLength(2);
    const cn = join(root, 'c'.repeat(255));
    expect(
      (await render(['-o', cn, '--format', 'controlnet', '--from', '0', '--to', '2'])).code,
    ).toBe(0);
  });
});
