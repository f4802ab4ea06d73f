import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
  cpSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import { startPuppetWorkers } from '#main/scheduler/workers/workers';
import { SAMPLE_PROJECT, captureIO, copySample, fakeWorkers } from './helpers';

/**
 * Bad input and a hostile environment: each must end in one clear error line, no file at the
 * output path, and the project as it was (project.json and assets byte for byte).
 */
const { root, project } = copySample('ps-bad-');
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
/** A size-limited (or read-only) tmpfs, when this process may mount one (root, e.g. in CI). */
function tmpfs(name: string, options: string): string | null {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.push(dir);
    return dir;
  } catch {
    return null;
  }
}

function snapshot(dir: string): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(dir, 'project.json')));
  for (const f of readdirSync(join(dir, 'assets')).sort())
    h.update(f).update(readFileSync(join(dir, 'assets', f)));
  return h.digest('hex');
}

async function render(args: string[], opts: { env?: NodeJS.ProcessEnv; real?: boolean } = {}) {
  const c = captureIO(root);
  const run = runRender(args, c.io, {
    startWorkers: opts.real ? startPuppetWorkers : fakeWorkers(),
    env: opts.env ?? process.env,
  });
  return { run, c };
}

describe('render: bad input gives a clear error, no partial output, project unchanged', () => {
  const before = snapshot(project);

  it('ffmpeg missing', async () => {
    const out = join(root, 'a.mp4');
    const { run } = await render([project, '-o', out], {
      env: { ...process.env, FFMPEG_PATH: join(root, 'no-ffmpeg') },
    });
    await expect(run).rejects.toThrow(/ffmpeg not found: FFMPEG_PATH is ".*no-ffmpeg"/);
    expect(existsSync(out)).toBe(false);
    expect(snapshot(project)).toBe(before);
  });

  it('invalid project: names the field', async () => {
    const bad = join(root, 'bad-project');
    cpSync(project, bad, { recursive: true });
    const p = JSON.parse(readFileSync(join(bad, 'project.json'), 'utf8'));
    p.output.fps = -5;
    writeFileSync(join(bad, 'project.json'), JSON.stringify(p));
    const badBefore = snapshot(bad);
    const out = join(root, 'b.mp4');
    const { run } = await render([bad, '-o', out]);
    await expect(run).rejects.toThrow(/output\.fps: must be at least 1 frame per second/);
    expect(existsSync(out)).toBe(false);
    expect(snapshot(bad)).toBe(badBefore);
    expect(existsSync(join(bad, 'renders')) ? readdirSync(join(bad, 'renders')) : []).toEqual([]);
  });

  it('character picture that is not a picture', async () => {
    const bad = join(root, 'bad-picture');
    cpSync(SAMPLE_PROJECT, bad, { recursive: true });
    writeFileSync(join(bad, 'assets', 'sprout.png'), 'not a png');
    const out = join(root, 'h.mp4');
    const { run } = await render([bad, '-o', out]);
    await expect(run).rejects.toThrow(
      /characters\.picture: assets\/sprout\.png is not a usable picture/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('not a project folder', async () => {
    const { run } = await render([join(root, 'nowhere'), '-o', join(root, 'c.mp4')]);
    await expect(run).rejects.toThrow(/no project\.json here/);
  });

  it('output folder missing or not writable', async () => {
    const { run } = await render([project, '-o', join(root, 'missing', 'd.mp4')]);
    await expect(run).rejects.toThrow(/output folder .*missing does not exist/);
    // Root ignores permission bits, so use a read-only mount there; chmod otherwise.
    let ro: string | null;
    if (isRoot) ro = tmpfs('readonly', 'ro,size=1m');
    else {
      ro = join(root, 'readonly');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
    }
    if (!ro) throw new Error('could not make a read-only folder for the test');
    const out = join(ro, 'e.mp4');
    const second = await render([project, '-o', out, '--to', '24'], { real: true });
    await expect(second.run).rejects.toThrow(/output folder .*readonly is not writable/);
    expect(existsSync(out)).toBe(false);
    expect(snapshot(project)).toBe(before);
  });

  it.skipIf(!isRoot)(
    'disk full at the output (a 1 MB tmpfs): ffmpeg’s error, no partial file',
    async () => {
      const small = tmpfs('small-out', 'size=1m');
      expect(small).not.toBeNull();
      const out = join(small!, 'f.mov'); // ProRes: ~0.5 MB a frame, fills 1 MB at once
      const { run } = await render([project, '-o', out, '--to', '48'], { real: true });
      await expect(run).rejects.toThrow(
        /no space left on the disk while (encoding|finishing) .*f\.mov/,
      );
      expect(readdirSync(small!)).toEqual([]);
      expect(snapshot(project)).toBe(before);
    },
  );

  it.skipIf(!isRoot)(
    'disk full in the project cache (project on a full tmpfs): clear error, project unchanged',
    async () => {
      const small = tmpfs('small-project', 'size=4m');
      expect(small).not.toBeNull();
      const proj = join(small!, 'p');
      cpSync(SAMPLE_PROJECT, proj, { recursive: true });
      // Leave ~64 KB free: the manifest fits, the first segment of frames does not.
      const free = Number(
        execFileSync('df', ['--output=avail', '-B1', small!], { encoding: 'utf8' }).split('\n')[1],
      );
      writeFileSync(join(small!, 'filler'), new Uint8Array(Math.max(0, free - 64 * 1024)));
      const smallBefore = snapshot(proj);
      const out = join(root, 'g.mp4');
      const { run } = await render([proj, '-o', out, '--to', '48'], { real: true });
      await expect(run).rejects.toThrow(
        /no space left on the disk while (writing the segment cache|writing the render job manifest)/,
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(root).filter((f) => f.includes('partial-'))).toEqual([]);
      expect(snapshot(proj)).toBe(smallBefore);
    },
  );
});
