import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectApiError } from '#main/services/api/projectAdapter';
import { createProject, loadProject } from '#main/project/projectStore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-location-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** The error a create/open fails with, as the API client would receive it. */
async function refusal(work: Promise<unknown>) {
  const e: unknown = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').not.toBeNull();
  return projectApiError(e).toData();
}

describe('where a project may be created', () => {
  // Before the check, mkdir -p /proc/self/x never returned: the test timed out.
  it('refuses /proc, /sys and /dev at once, saying why', { timeout: 3000 }, async () => {
    for (const folder of ['/proc/self/x', '/sys/x', '/dev/x']) {
      const data = await refusal(createProject(folder, { name: 'x' }));
      expect(data).toMatchObject({ code: 'bad-request' });
      expect(data.message).toBe(
        `${folder}: is inside a system folder (/proc, /sys or /dev), where projects cannot be saved`,
      );
      expect(data.hint).toMatch(/Choose a folder/);
    }
  });

  it('refuses a path through a file, such as /dev/null/x', async () => {
    const data = await refusal(createProject('/dev/null/x', { name: 'x' }));
    expect(data.message).toMatch(/^\/dev\/null\/x: /);
    execFileSync('touch', [join(dir, 'file')]);
    const data2 = await refusal(createProject(join(dir, 'file', 'film'), { name: 'x' }));
    expect(data2.message).toBe(
      `${join(dir, 'file', 'film')}: a part of this path is a file, not a folder`,
    );
  });

  it('refuses a FIFO or a socket in place of the folder and leaves it as it was', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const data = await refusal(createProject(fifo, { name: 'x' }));
    expect(data.message).toBe(`${fifo}: is a named pipe (FIFO), not a folder`);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  it.skipIf(process.getuid?.() === 0)(
    'refuses a read-only folder (as a user; root may write anywhere)',
    async () => {
      await chmod(dir, 0o555);
      const data = await refusal(createProject(join(dir, 'film'), { name: 'x' }));
      expect(data.message).toBe(`${join(dir, 'film')}: you cannot write in ${dir}`);
    },
  );

  it('still creates a project in a new folder under a normal one', async () => {
    const p = await createProject(join(dir, 'a', 'film'), { name: 'film' });
    expect(p.project.name).toBe('film');
  });
});

describe('where a project may be opened from', () => {
  it(
    'refuses a project.json that is a FIFO instead of waiting on it forever',
    { timeout: 3000 },
    async () => {
      await mkdir(join(dir, 'film'));
      execFileSync('mkfifo', [join(dir, 'film', 'project.json')]);
      const data = await refusal(loadProject(join(dir, 'film')));
      expect(data).toMatchObject({
        code: 'bad-request',
        message: `${join(dir, 'film', 'project.json')}: is a named pipe (FIFO), not a project file`,
      });
    },
  );

  it('refuses system folders and device files', async () => {
    expect((await refusal(loadProject('/proc/self'))).message).toMatch(/system folder/);
    expect((await refusal(loadProject('/dev/null'))).message).toMatch(/system folder/);
  });
});
