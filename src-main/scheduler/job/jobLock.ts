import { hostname } from 'node:os';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isProcessAlive } from '#main/media/outputTarget';
import { jobFolder } from './jobManifest';

/**
 * One render of a job at a time: `renders/<job>/lock` holds the pid and host of the process
 * rendering it. Two renders of the same job would otherwise overwrite each other's manifest and
 * attempts (and race for the same output). The lock is created with a temporary file + `link()`,
 * which fails if the lock exists, so it appears complete (pid written) or not at all.
 *
 * A lock whose process is gone (killed, crashed) on this host is stale and taken over. A lock of
 * another host cannot be checked and is respected: its message names the file to delete.
 */
export class JobLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobLockedError';
  }
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string')
      return { pid: v.pid, host: v.host, startedAt: String(v.startedAt ?? '') };
    return null;
  } catch {
    return null;
  }
}

export interface JobLock {
  release(): Promise<void>;
}

export async function lockJob(projectDir: string, jobId: string, output: string): Promise<JobLock> {
  const dir = jobFolder(projectDir, jobId);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'lock');
  const me: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const tmp = join(dir, `.lock.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, `${JSON.stringify(me)}\n`);
  try {
    for (let tries = 0; ; tries++) {
      try {
        await link(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 2) throw e;
      }
      const held = await readLock(path);
      if (held && (held.host !== me.host || isProcessAlive(held.pid)))
        throw lockedError(held, output, path);
      // Stale (its process is gone) or unreadable: move it aside under a unique name, then try
      // again. If another contender took the stale lock over meanwhile, what was moved aside is
      // its live lock: put it back and give way.
      const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
      if (
        !(await rename(path, aside).then(
          () => true,
          () => false,
        ))
      )
        continue;
      const moved = await readLock(aside);
      if (moved && moved.host === me.host && isProcessAlive(moved.pid)) {
        await link(aside, path).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        throw lockedError(moved, output, path);
      }
      await unlink(aside).catch(() => undefined);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return {
    release: async () => {
      const held = await readLock(path);
      if (held?.pid === me.pid && held.startedAt === me.startedAt)
        await unlink(path).catch(() => undefined);
    },
  };
}

function lockedError(held: LockInfo, output: string, path: string): JobLockedError {
  return new JobLockedError(
    held.host === hostname()
      ? `a render of ${output} (same frames and format) is already running (process ${held.pid}); wait for it to finish or stop it, then render again`
      : `a render of ${output} is running on ${held.host} (process ${held.pid}); if it is not, delete ${path}`,
  );
}
