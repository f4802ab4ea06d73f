import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeManifest, type JobManifest } from '#main/scheduler/job/jobManifest';
import { tempPathFor } from '#main/fs/atomicWrite';
import { cacheUsage, liveJobSegments, pruneCache } from './cachePruner';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = Date.parse('2026-11-23T12:00:00Z');
const MIN = 60_000;

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'ps-prune-'));
  dirs.push(d);
  return d;
}

function hashOf(n: number): string {
  return n.toString(16).padStart(2, '0').repeat(16);
}

function put(path: string, bytes: number, ageMs: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, new Uint8Array(bytes));
  const t = (NOW - ageMs) / 1000;
  utimesSync(path, t, t);
  return path;
}

/** A segment file of `bytes`, last used `ageMs` before NOW. */
function segment(dir: string, n: number, bytes: number, ageMs: number): string {
  const h = hashOf(n);
  return put(join(dir, 'cache', 'segments', h.slice(0, 2), `${h}.seg`), bytes, ageMs);
}

function segmentsLeft(dir: string): number[] {
  const root = join(dir, 'cache', 'segments');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .flatMap((s) => readdirSync(join(root, s)))
    .filter((f) => f.endsWith('.seg'))
    .map((f) => parseInt(f.slice(0, 2), 16))
    .sort((a, b) => a - b);
}

describe('cache usage', () => {
  it('counts segments, diffusion banks and stray temporary files; leaves unknown names alone', async () => {
    const dir = project();
    segment(dir, 1, 1000, MIN);
    segment(dir, 2, 3000, MIN);
    const seg = join(dir, 'cache', 'segments', '01', `${hashOf(1)}.seg`);
    put(tempPathFor(seg), 500, MIN); // a killed atomic write
    const banks = join(dir, 'cache', 'diffusion-banks');
    put(join(banks, `${'ab'.repeat(32)}.bank`), 7000, MIN);
    put(join(banks, `${'cd'.repeat(32)}.bank.4242.tmp`), 200, MIN); // a killed bank write
    put(join(banks, 'notes.txt'), 99, MIN);
    put(join(dir, 'cache', 'segments', '01', 'readme'), 99, MIN);
    put(join(dir, 'cache', 'segments', '02', `${hashOf(1)}.seg`), 99, MIN); // wrong shard

    const u = await cacheUsage(dir);
    expect(u.folder).toBe(join(dir, 'cache'));
    expect(u.byKind).toEqual({
      segments: { files: 2, bytes: 4000 },
      diffusionBanks: { files: 1, bytes: 7000 },
      temp: { files: 2, bytes: 700 },
    });
    expect(u).toMatchObject({ files: 5, bytes: 11_700 });
  });

  it('is empty for a project without a cache folder', async () => {
    const u = await cacheUsage(project());
    expect(u).toMatchObject({ files: 0, bytes: 0 });
  });
});

describe('pruneCache', () => {
  it('removes least recently used files first (by mtime) until under the limit', async () => {
    const dir = project();
    // Segment n was last used n minutes ago: 5 is the oldest.
    for (let n = 1; n <= 5; n++) segment(dir, n, 1000, n * MIN);
    const bank = put(
      join(dir, 'cache', 'diffusion-banks', `${'ee'.repeat(32)}.bank`),
      1000,
      3.5 * MIN,
    );

    const r = await pruneCache(dir, { maxBytes: 3000, now: NOW });
    // 6000 bytes → 3000: the three oldest go (5, 4, then the bank at 3.5 min).
    expect(r.removedFiles.map((f) => f.path)).toEqual([
      `segments/05/${hashOf(5)}.seg`,
      `segments/04/${hashOf(4)}.seg`,
      `diffusion-banks/${'ee'.repeat(32)}.bank`,
    ]);
    expect(existsSync(bank)).toBe(false);
    expect(segmentsLeft(dir)).toEqual([1, 2, 3]);
    expect(r.before.bytes).toBe(6000);
    expect(r.after).toMatchObject({ files: 3, bytes: 3000 });
    expect(r.removed).toMatchObject({ files: 3, bytes: 3000 });
    expect(r.removed.byKind.diffusionBanks).toEqual({ files: 1, bytes: 1000 });
    expect(r.overLimit).toBe(false);
    expect((await cacheUsage(dir)).bytes).toBe(3000);
  });

  it('never removes segments in the keep set, even when they alone exceed the limit', async () => {
    const dir = project();
    for (let n = 1; n <= 5; n++) segment(dir, n, 1000, n * MIN);
    const keep = new Set([hashOf(5), hashOf(4)]); // the two oldest

    const r = await pruneCache(dir, { maxBytes: 2500, keep, now: NOW });
    expect(segmentsLeft(dir)).toEqual([4, 5]);
    expect(r.keptBytes).toBe(2000);
    expect(r.overLimit).toBe(false);

    const all = await pruneCache(dir, { maxBytes: 0, keep, now: NOW });
    expect(all.removed.files).toBe(0);
    expect(segmentsLeft(dir)).toEqual([4, 5]);
    expect(all.overLimit).toBe(true);
  });

  it('keeps files written since a given time (what a render just wrote)', async () => {
    const dir = project();
    for (let n = 1; n <= 4; n++) segment(dir, n, 1000, n * MIN);
    await pruneCache(dir, { maxBytes: 0, keepModifiedSince: NOW - 2.5 * MIN, now: NOW });
    expect(segmentsLeft(dir)).toEqual([1, 2]);
  });

  it('frees at least `freeBytes` below the current size when asked (a full disk)', async () => {
    const dir = project();
    for (let n = 1; n <= 4; n++) segment(dir, n, 1000, n * MIN);
    const r = await pruneCache(dir, { maxBytes: 1e9, freeBytes: 1500, now: NOW });
    expect(r.removed.bytes).toBe(2000);
    expect(segmentsLeft(dir)).toEqual([1, 2]);
  });

  it('always removes temporary files older than a few minutes, keeps younger ones', async () => {
    const dir = project();
    const seg = segment(dir, 1, 1000, 60 * MIN);
    const oldTmp = put(tempPathFor(seg), 400, 10 * MIN);
    const youngTmp = put(tempPathFor(seg), 400, 1 * MIN);
    const oldBankTmp = put(
      join(dir, 'cache', 'diffusion-banks', `${'ab'.repeat(32)}.bank.77.tmp`),
      400,
      6 * MIN,
    );

    const r = await pruneCache(dir, { maxBytes: 1e9, now: NOW });
    expect(existsSync(oldTmp)).toBe(false);
    expect(existsSync(oldBankTmp)).toBe(false);
    expect(existsSync(youngTmp)).toBe(true); // may be a write still running elsewhere
    expect(existsSync(seg)).toBe(true); // under the limit: nothing else goes
    expect(r.removed.byKind.temp).toEqual({ files: 2, bytes: 800 });
    expect(r.removed.byKind.segments.files).toBe(0);

    await pruneCache(dir, { maxBytes: 0, now: NOW });
    expect(existsSync(youngTmp)).toBe(true); // not even to meet the limit
    expect(existsSync(seg)).toBe(false);
  });

  it('removes shard folders it empties and keeps the others', async () => {
    const dir = project();
    segment(dir, 1, 1000, 3 * MIN);
    segment(dir, 2, 1000, 2 * MIN);
    await pruneCache(dir, { maxBytes: 1000, now: NOW });
    expect(readdirSync(join(dir, 'cache', 'segments'))).toEqual(['02']);
  });

  it('treats files that vanish meanwhile as gone, not as errors (two prunes at once)', async () => {
    const dir = project();
    for (let n = 1; n <= 40; n++) segment(dir, n, 1000, n * MIN);
    const [a, b] = await Promise.all([
      pruneCache(dir, { maxBytes: 10_000, now: NOW }),
      pruneCache(dir, { maxBytes: 10_000, now: NOW }),
    ]);
    expect(segmentsLeft(dir)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each file was removed by exactly one of them.
    const names = [...a.removedFiles, ...b.removedFiles].map((f) => f.path).sort();
    expect(names).toHaveLength(30);
    expect(new Set(names).size).toBe(30);
    expect(a.after.bytes).toBe(10_000);
  });

  it('refuses a negative or NaN limit', async () => {
    const dir = project();
    await expect(pruneCache(dir, { maxBytes: -1 })).rejects.toThrow(/limit/);
    await expect(pruneCache(dir, { maxBytes: Number.NaN })).rejects.toThrow(/limit/);
  });
});

describe('liveJobSegments', () => {
  const manifest = (
    jobId: string,
    state: JobManifest['state'],
    updatedAt: string,
    hashes: string[],
  ) =>
    ({
      version: 1,
      jobId,
      createdAt: updatedAt,
      updatedAt,
      state,
      output: `/out/${jobId}.mp4`,
      format: 'mp4',
      from: 0,
      to: 24 * hashes.length,
      width: 64,
      height: 64,
      fps: 24,
      segments: hashes.map((hash, index) => ({
        index,
        start: index * 24,
        end: index * 24 + 24,
        hash,
        done: index === 0,
      })),
      attempts: [],
      error: null,
    }) satisfies JobManifest;

  it('are the segments of jobs not done (running, interrupted, cancelled, failed) within the last day', async () => {
    const dir = project();
    const iso = (ageMs: number) => new Date(NOW - ageMs).toISOString();
    await writeManifest(dir, manifest('aaaaaaaaaaaa', 'running', iso(MIN), [hashOf(1), hashOf(2)]));
    await writeManifest(dir, manifest('bbbbbbbbbbbb', 'done', iso(MIN), [hashOf(3)]));
    await writeManifest(dir, manifest('cccccccccccc', 'running', iso(48 * 60 * MIN), [hashOf(4)]));
    await writeManifest(dir, manifest('dddddddddddd', 'cancelled', iso(MIN), [hashOf(5)]));
    await writeManifest(dir, manifest('eeeeeeeeeeee', 'failed', iso(2 * MIN), [hashOf(6)]));
    expect([...(await liveJobSegments(dir, NOW))].sort()).toEqual(
      [hashOf(1), hashOf(2), hashOf(5), hashOf(6)].sort(),
    );
    expect((await liveJobSegments(project(), NOW)).size).toBe(0);
  });
});

describe('confinement: the pruner never touches files outside the project cache', () => {
  /** A user's folder outside the project with segment-named files (and the project itself). */
  function userFolder(): { dir: string; user: string } {
    const dir = project();
    const user = join(dir, 'user-folder');
    mkdirSync(join(dir, 'project'), { recursive: true });
    for (const n of [1, 2]) put(join(user, `${hashOf(n)}.seg`), 100, 60 * MIN);
    return { dir: join(dir, 'project'), user };
  }

  it('refuses a cache/ folder linked to a user folder and deletes nothing there', async () => {
    const { dir, user } = userFolder();
    mkdirSync(join(user, 'segments', hashOf(1).slice(0, 2)), { recursive: true });
    put(join(user, 'segments', hashOf(1).slice(0, 2), `${hashOf(1)}.seg`), 100, 60 * MIN);
    symlinkSync(user, join(dir, 'cache'));
    await expect(pruneCache(dir, { maxBytes: 0, now: NOW })).rejects.toThrow(
      /cache is a link to a folder outside the project; delete the link/,
    );
    await expect(cacheUsage(dir)).rejects.toThrow(/cache is a link to a folder outside/);
    expect(readdirSync(join(user, 'segments', hashOf(1).slice(0, 2)))).toEqual([
      `${hashOf(1)}.seg`,
    ]);
  });

  it('skips a shard linked to a user folder and segment files that are links', async () => {
    const { dir, user } = userFolder();
    segment(dir, 3, 100, 60 * MIN);
    // A shard named like the user's files' hashes, linked to their folder.
    symlinkSync(user, join(dir, 'cache', 'segments', hashOf(1).slice(0, 2)));
    // A segment-named link in a real shard, pointing at a user's file.
    const shard = join(dir, 'cache', 'segments', hashOf(2).slice(0, 2));
    mkdirSync(shard);
    symlinkSync(join(user, `${hashOf(2)}.seg`), join(shard, `${hashOf(2)}.seg`));
    const r = await pruneCache(dir, { maxBytes: 0, now: NOW });
    expect(r.removedFiles.map((f) => f.path)).toEqual([`segments/03/${hashOf(3)}.seg`]);
    expect(r.before.files).toBe(1);
    expect(readdirSync(user).sort()).toEqual([`${hashOf(1)}.seg`, `${hashOf(2)}.seg`]);
  });

  it('refuses a cache/segments folder linked outside', async () => {
    const { dir, user } = userFolder();
    mkdirSync(join(dir, 'cache'));
    symlinkSync(user, join(dir, 'cache', 'segments'));
    await expect(pruneCache(dir, { maxBytes: 0, now: NOW })).rejects.toThrow(
      /cache\/segments is a link to a folder outside the project/,
    );
    expect(readdirSync(user)).toHaveLength(2);
  });
});
