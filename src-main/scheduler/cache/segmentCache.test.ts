import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import type { Segment } from '#shared/render/plan';
import * as atomic from '#main/fs/atomicWrite';
import { SegmentCache } from './segmentCache';

vi.mock('#main/fs/atomicWrite', async (original) => {
  const real = await original<typeof import('#main/fs/atomicWrite')>();
  return { ...real, atomicWrite: vi.fn(real.atomicWrite) };
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.mocked(atomic.atomicWrite).mockClear();
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ps-segcache-'));
  dirs.push(d);
  return join(d, 'segments');
}

const seg = (n: number) => ({ index: n, hash: `${n}`.repeat(32), start: 0, end: 2 }) as Segment;
const frames = () => [createRgbImage(8, 8), createRgbImage(8, 8)];
const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('SegmentCache', () => {
  it('touches the file on a hit, so the pruner sees it as recently used', async () => {
    const cache = new SegmentCache(cacheDir());
    await cache.write(seg(1), frames());
    const path = cache.pathOf(seg(1).hash);
    utimesSync(path, 1_000_000, 1_000_000); // long ago
    expect(await cache.read(seg(1))).toHaveLength(2);
    expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(60_000);
    // A miss (another segment's range under the same hash) does not count as a use.
    utimesSync(path, 1_000_000, 1_000_000);
    expect(await cache.read({ ...seg(1), end: 3 })).toBeNull();
    expect(statSync(path).mtimeMs).toBe(1_000_000_000);
  });

  it('on a full disk, makes room once and retries the write', async () => {
    const makeRoom = vi.fn(async (bytes: number) => bytes);
    const cache = new SegmentCache(cacheDir(), { makeRoom });
    vi.mocked(atomic.atomicWrite).mockRejectedValueOnce(enospc());
    await cache.write(seg(2), frames());
    expect(makeRoom).toHaveBeenCalledTimes(1);
    expect(makeRoom.mock.calls[0]![0]).toBeGreaterThan(0);
    expect(await cache.read(seg(2))).toHaveLength(2);
  });

  it('gives up with the disk-full error when nothing could be freed or the retry fails too', async () => {
    const nothing = new SegmentCache(cacheDir(), { makeRoom: async () => 0 });
    vi.mocked(atomic.atomicWrite).mockRejectedValueOnce(enospc());
    await expect(nothing.write(seg(3), frames())).rejects.toThrow(
      /^no space left on the disk while writing the segment cache in /,
    );
    expect(vi.mocked(atomic.atomicWrite)).toHaveBeenCalledTimes(1);

    const makeRoom = vi.fn(async () => 1000);
    const still = new SegmentCache(cacheDir(), { makeRoom });
    vi.mocked(atomic.atomicWrite).mockRejectedValueOnce(enospc()).mockRejectedValueOnce(enospc());
    await expect(still.write(seg(4), frames())).rejects.toThrow(/no space left on the disk/);
    expect(makeRoom).toHaveBeenCalledTimes(1); // once, not a loop

    const failing = new SegmentCache(cacheDir(), {
      makeRoom: async () => {
        throw new Error('prune failed');
      },
    });
    vi.mocked(atomic.atomicWrite).mockRejectedValueOnce(enospc());
    await expect(failing.write(seg(5), frames())).rejects.toThrow(/no space left on the disk/);
  });

  it('does not prune for other write errors', async () => {
    const makeRoom = vi.fn(async () => 1000);
    const cache = new SegmentCache(cacheDir(), { makeRoom });
    vi.mocked(atomic.atomicWrite).mockRejectedValueOnce(
      Object.assign(new Error('EACCES'), { code: 'EACCES' }),
    );
    await expect(cache.write(seg(6), frames())).rejects.toThrow(/not allowed to write/);
    expect(makeRoom).not.toHaveBeenCalled();
  });

  it('re-creates a shard folder the pruner removed between mkdir and the write', async () => {
    const dir = cacheDir();
    const cache = new SegmentCache(dir);
    const real = await vi.importActual<typeof atomic>('#main/fs/atomicWrite');
    vi.mocked(atomic.atomicWrite).mockImplementationOnce(async (file, data) => {
      rmSync(join(dir, '77'), { recursive: true }); // the pruner emptied and removed it
      return real.atomicWrite(file, data);
    });
    await cache.write(seg(7), frames());
    expect(readdirSync(join(dir, '77'))).toEqual([`${'7'.repeat(32)}.seg`]);
    expect(existsSync(cache.pathOf(seg(7).hash))).toBe(true);
  });
});

describe('SegmentCache confinement', () => {
  function projectWithOutside(): { project: string; outside: string } {
    const d = mkdtempSync(join(tmpdir(), 'ps-segcache-'));
    dirs.push(d);
    mkdirSync(join(d, 'project'));
    mkdirSync(join(d, 'outside'));
    return { project: join(d, 'project'), outside: join(d, 'outside') };
  }

  it('never writes through a cache/ folder linked to a user folder', async () => {
    const { project, outside } = projectWithOutside();
    symlinkSync(outside, join(project, 'cache'));
    const cache = SegmentCache.forProject(project);
    await expect(cache.write(seg(1), frames())).rejects.toThrow(
      /cache is a link to a folder outside the project/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('never writes into (or reads from) a shard linked outside', async () => {
    const { project, outside } = projectWithOutside();
    mkdirSync(join(project, 'cache', 'segments'), { recursive: true });
    symlinkSync(outside, join(project, 'cache', 'segments', '11'));
    const cache = SegmentCache.forProject(project);
    await expect(cache.write(seg(1), frames())).rejects.toThrow(
      /cache\/segments\/11 is a link to a folder outside the project/,
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(await cache.has(seg(1).hash)).toBe(false);
    expect(await cache.read(seg(1))).toBeNull();
  });

  it('treats a segment that is a named pipe as missing instead of blocking on it', async () => {
    const { project } = projectWithOutside();
    const cache = SegmentCache.forProject(project);
    mkdirSync(join(cache.folder, '22'), { recursive: true });
    execFileSync('mkfifo', [cache.pathOf(seg(2).hash)]);
    expect(await cache.read(seg(2))).toBeNull();
  });
});
