import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listManifests } from '#main/scheduler/job/jobManifest';
import { isTempFileOf } from '#main/fs/atomicWrite';
import { projectRoot, resolveInsideProject, type ProjectRoot } from '#main/project/projectPaths';

/**
 * Keeps a project's `cache/` within a byte limit. Segments (`cache/segments/<hh>/<hash>.seg`) and
 * diffusion reference banks (`cache/diffusion-banks/<key>.bank`) are removed least recently used
 * first — "used" is the file's mtime, which `SegmentCache.read` touches on every hit — except the
 * segments in a `keep` set (the render that just finished, renders still running). Temporary
 * files of writes killed midway are always removed once they are a few minutes old (a younger one
 * may belong to a write still running in another process). Everything in the cache can be
 * recomputed, so removing too much only costs time; a file that vanishes meanwhile (another
 * prune, a user) is skipped, never an error.
 *
 * Only real files inside the project's real `cache/` folder are counted or removed: a `cache`,
 * `cache/segments` or `cache/diffusion-banks` linked outside is refused (an error naming it), a
 * shard folder that is a link is skipped, and a cache file that is a link is left alone — so the
 * pruner can never delete a user's file elsewhere.
 */

export const CACHE_KINDS = ['segments', 'diffusionBanks', 'temp'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

export interface CacheTally {
  files: number;
  bytes: number;
}

export interface CacheUsage extends CacheTally {
  /** The project's cache folder. */
  folder: string;
  byKind: Record<CacheKind, CacheTally>;
}

export interface CacheFile {
  /** Absolute path. */
  path: string;
  kind: CacheKind;
  bytes: number;
  mtimeMs: number;
  /** Segment hash (segments only). */
  hash?: string;
}

export const DEFAULT_CACHE_LIMIT_BYTES = 20 * 1024 ** 3;
/** A temporary file younger than this may be a write in progress in another process. */
export const DEFAULT_TEMP_MAX_AGE_MS = 5 * 60_000;
/**
 * A job manifest not yet `done` is a live render, or one interrupted (crash, kill, cancel, failure)
 * that the user can resume; all keep their segments while the manifest was updated this recently.
 */
export const LIVE_JOB_MAX_AGE_MS = 24 * 3600_000;

const SEGMENT_FILE = /^([0-9a-f]{32})\.seg$/;
const SHARD = /^[0-9a-f]{2}$/;
const BANK_FILE = /^[0-9a-f]{64}\.bank$/;
/** `ReferenceBankCache` writes `<key>.bank.<pid>.tmp` before renaming. */
const BANK_TEMP = /^[0-9a-f]{64}\.bank\.\d+\.tmp$/;
/** `atomicWrite` writes `.<name>.<pid>.<8 hex>.tmp` (see `tempPathFor`). */
const ATOMIC_TEMP = /^\.(.+)\.\d+\.[0-9a-f]{8}\.tmp$/;

export function cacheFolder(projectDir: string): string {
  return join(projectDir, 'cache');
}

function isSegmentTemp(name: string): boolean {
  const m = ATOMIC_TEMP.exec(name);
  return m !== null && SEGMENT_FILE.test(m[1]!) && isTempFileOf(name, m[1]!);
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

async function fileAt(path: string, kind: CacheKind, hash?: string): Promise<CacheFile | null> {
  // lstat: a link named like a cache file is not the cache's to count or remove.
  const info = await lstat(path).catch(() => null); // vanished meanwhile
  if (!info?.isFile()) return null;
  return { path, kind, bytes: info.size, mtimeMs: info.mtimeMs, ...(hash ? { hash } : {}) };
}

/** A folder of the cache: inside the project (named in errors) and inside the real `cache/`. */
async function cacheSubfolder(
  project: ProjectRoot,
  cache: ProjectRoot,
  name: string,
): Promise<string | null> {
  await resolveInsideProject(project, `cache/${name}`, { kind: 'folder' });
  const sub = await resolveInsideProject(cache, name, { kind: 'folder' });
  return sub.exists ? sub.path : null;
}

/** The real cache folder and its files (real paths), or no folder when there is no cache yet. */
async function scanCache(
  projectDir: string,
): Promise<{ folder: string | null; files: CacheFile[] }> {
  const project = await projectRoot(projectDir);
  const top = await resolveInsideProject(project, 'cache', { kind: 'folder' });
  if (!top.exists) return { folder: null, files: [] };
  const cache: ProjectRoot = { dir: top.path, real: top.path };
  const out: CacheFile[] = [];
  const segments = await cacheSubfolder(project, cache, 'segments');
  for (const shard of segments ? await names(segments) : []) {
    if (!SHARD.test(shard)) continue;
    // A shard that is a link (even one leading elsewhere in the project) is not descended into.
    const dir = await resolveInsideProject(cache, `segments/${shard}`, { kind: 'folder' }).catch(
      () => null,
    );
    if (!dir?.exists || dir.path !== join(segments!, shard)) continue;
    const found = await Promise.all(
      (await names(dir.path)).map((name) => {
        const m = SEGMENT_FILE.exec(name);
        if (m && m[1]!.startsWith(shard)) return fileAt(join(dir.path, name), 'segments', m[1]);
        if (isSegmentTemp(name)) return fileAt(join(dir.path, name), 'temp');
        return null;
      }),
    );
    for (const f of found) if (f) out.push(f);
  }
  const banks = await cacheSubfolder(project, cache, 'diffusion-banks');
  const found = await Promise.all(
    (banks ? await names(banks) : []).map((name) => {
      if (BANK_FILE.test(name)) return fileAt(join(banks!, name), 'diffusionBanks');
      if (BANK_TEMP.test(name)) return fileAt(join(banks!, name), 'temp');
      return null;
    }),
  );
  for (const f of found) if (f) out.push(f);
  return { folder: top.path, files: out };
}

/**
 * Every file of the cache this module knows about (unknown names are left alone and not
 * counted). About one `stat` per file: ~1,300 files for a 30,000-frame puppet render.
 */
export async function listCacheFiles(projectDir: string): Promise<CacheFile[]> {
  return (await scanCache(projectDir)).files;
}

export function tally(projectDir: string, files: readonly CacheFile[]): CacheUsage {
  const byKind = Object.fromEntries(CACHE_KINDS.map((k) => [k, { files: 0, bytes: 0 }])) as Record<
    CacheKind,
    CacheTally
  >;
  let bytes = 0;
  for (const f of files) {
    byKind[f.kind].files++;
    byKind[f.kind].bytes += f.bytes;
    bytes += f.bytes;
  }
  return { folder: cacheFolder(projectDir), files: files.length, bytes, byKind };
}

/** Files and bytes of a project's cache, by kind. */
export async function cacheUsage(projectDir: string): Promise<CacheUsage> {
  return tally(projectDir, await listCacheFiles(projectDir));
}

/**
 * Hashes of the segments of render jobs not yet `done` per their manifest and updated within
 * `maxAgeMs`: live renders in this or another process, and recently interrupted, cancelled or
 * failed ones — the studio and the CLI offer to resume those, which should not re-render what
 * they already had.
 */
export async function liveJobSegments(
  projectDir: string,
  now = Date.now(),
  maxAgeMs = LIVE_JOB_MAX_AGE_MS,
): Promise<Set<string>> {
  const keep = new Set<string>();
  for (const m of await listManifests(projectDir)) {
    if (m.state === 'done') continue;
    const updated = Date.parse(m.updatedAt);
    if (!(now - updated <= maxAgeMs)) continue;
    for (const s of m.segments) keep.add(s.hash);
  }
  return keep;
}

export interface PruneOptions {
  /** Remove least recently used files until the cache holds at most this many bytes. */
  maxBytes: number;
  /** Also free at least this many bytes (to make room on a full disk), limit or not. */
  freeBytes?: number;
  /** Segment hashes never removed. */
  keep?: ReadonlySet<string>;
  /** Files modified at or after this time (ms) are never removed (what a render just wrote). */
  keepModifiedSince?: number;
  /** Temporary files older than this are removed whatever the limit (default 5 min). */
  tempMaxAgeMs?: number;
  now?: number;
}

export interface RemovedFile {
  /** Path relative to the cache folder, with `/`. */
  path: string;
  kind: CacheKind;
  bytes: number;
}

export interface PruneResult {
  before: CacheUsage;
  after: CacheUsage;
  removed: CacheTally & { byKind: Record<CacheKind, CacheTally> };
  /** Each removed file, oldest first (stale temporary files before the rest). */
  removedFiles: RemovedFile[];
  /** Bytes of files that had to stay (keep set, recently written, young temporary files). */
  keptBytes: number;
  /** True when the cache is still over the limit: what had to stay is bigger than the limit. */
  overLimit: boolean;
  ms: number;
}

async function remove(file: CacheFile): Promise<boolean> {
  try {
    await unlink(file.path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // gone meanwhile
    throw e;
  }
}

/** Removes shard folders left empty (a concurrent write re-creates its folder: SegmentCache.write). */
async function removeEmptyShards(projectDir: string, shards: Iterable<string>): Promise<void> {
  for (const dir of shards) {
    await rmdir(dir).catch(() => undefined); // not empty (ENOTEMPTY), or already gone
  }
}

/**
 * Prunes the cache to `maxBytes`: stale temporary files first (always), then segments and banks
 * by mtime, oldest first, skipping kept ones. Returns what was there, what was removed and what
 * is left.
 */
export async function pruneCache(projectDir: string, opts: PruneOptions): Promise<PruneResult> {
  if (!(opts.maxBytes >= 0)) throw new RangeError(`cache limit must be ≥ 0, got ${opts.maxBytes}`);
  const t0 = performance.now();
  const now = opts.now ?? Date.now();
  const tempMaxAge = opts.tempMaxAgeMs ?? DEFAULT_TEMP_MAX_AGE_MS;
  const keep = opts.keep ?? new Set<string>();
  const { folder, files } = await scanCache(projectDir);
  const before = tally(projectDir, files);
  const removedFiles: RemovedFile[] = [];
  const gone = new Set<CacheFile>();
  const touchedShards = new Set<string>();
  const root = folder ?? cacheFolder(projectDir);

  const drop = async (f: CacheFile) => {
    gone.add(f); // also when it vanished meanwhile: it no longer counts
    if (await remove(f))
      removedFiles.push({
        path: f.path
          .slice(root.length + 1)
          .split('\\')
          .join('/'),
        kind: f.kind,
        bytes: f.bytes,
      });
    if (f.kind !== 'diffusionBanks') touchedShards.add(join(f.path, '..'));
  };

  let bytes = before.bytes;
  let keptBytes = 0;
  const candidates: CacheFile[] = [];
  for (const f of files) {
    if (f.kind === 'temp') {
      if (now - f.mtimeMs >= tempMaxAge) {
        await drop(f);
        bytes -= f.bytes;
      } else keptBytes += f.bytes;
    } else if (
      (f.hash !== undefined && keep.has(f.hash)) ||
      (opts.keepModifiedSince !== undefined && f.mtimeMs >= opts.keepModifiedSince)
    )
      keptBytes += f.bytes;
    else candidates.push(f);
  }
  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  const target = Math.min(opts.maxBytes, before.bytes - (opts.freeBytes ?? 0));
  for (const f of candidates) {
    if (bytes <= target) break;
    await drop(f);
    bytes -= f.bytes;
  }
  await removeEmptyShards(
    projectDir,
    [...touchedShards].filter((d) => d.startsWith(join(root, 'segments'))),
  );
  const left = files.filter((f) => !gone.has(f));
  const {
    files: n,
    bytes: b,
    byKind,
  } = tally(
    projectDir,
    removedFiles.map((r) => ({ ...r, mtimeMs: 0 })),
  );
  const after = tally(projectDir, left);
  return {
    before,
    after,
    removed: { files: n, bytes: b, byKind },
    removedFiles,
    keptBytes,
    overLimit: after.bytes > opts.maxBytes,
    ms: performance.now() - t0,
  };
}
