/**
 * Replacing a file so that a crash, kill or power cut at any moment leaves either the old or the
 * new content — never a truncated mix. The data goes to a temporary file in the same folder
 * (so the rename cannot cross file systems), is flushed to disk, renamed over the target (atomic
 * on POSIX and NTFS), and the folder entry is flushed too so the rename itself survives a power cut.
 *
 * Used for `project.json` and by the scheduler for job manifests.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a newly created file (default 0o666, minus the umask). */
  mode?: number;
}

/**
 * Bytes of the target's name kept in a temporary name: 255 (the usual limit of a name) less the
 * longest `..<pid>.<8 hex>.tmp` (a 10-digit pid), so a 255-byte name still gets a valid temp name.
 */
const TEMP_NAME_ROOM = 255 - Buffer.byteLength('..0000000000.00000000.tmp');

/** `name` cut to at most `bytes` UTF-8 bytes, on a character boundary. */
function cutName(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}

/** Temporary name next to `file`: hidden, unique per process and call, recognisable. */
export function tempPathFor(file: string): string {
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  return join(dirname(file), `.${cutName(basename(file), TEMP_NAME_ROOM)}.${tag}.tmp`);
}

/** True if `name` (a bare file name) is a temporary file of an atomic write of `target`. */
export function isTempFileOf(name: string, target: string): boolean {
  const prefix = `.${cutName(basename(target), TEMP_NAME_ROOM)}.`;
  return name.startsWith(prefix) && /^\d+\.[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length));
}

export async function atomicWrite(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(file));
}

/** The same, synchronously (for exit handlers and code that must not yield). */
export function atomicWriteSync(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const tmp = tempPathFor(file);
  try {
    const fd = openSync(tmp, 'wx', options.mode ?? 0o666);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  try {
    const fd = openSync(dirname(file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (!isUnsupportedDirSync(e)) throw e;
  }
}

/**
 * Removes temporary files of `target` left by writes that crashed, if older than `minAgeMs`
 * (younger ones may belong to a write still running in another process). Returns their names.
 */
export async function removeStaleTempFiles(target: string, minAgeMs = 60_000): Promise<string[]> {
  const dir = dirname(target);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!isTempFileOf(name, target)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info || Date.now() - info.mtimeMs < minAgeMs) continue;
    await unlink(path).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/**
 * On Windows a rename over a file that another process (a virus scanner, an indexer, a viewer)
 * has open fails for a moment with EPERM/EACCES/EBUSY; retry briefly, as graceful-fs does.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (process.platform !== 'win32' || !transient || attempt >= 8) throw e;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt)); // 10 ms … 1.3 s, ~2.5 s total
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
    if (!isUnsupportedDirSync(e)) throw e;
  } finally {
    await handle?.close();
  }
}

function isUnsupportedDirSync(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return (
    code === 'EISDIR' ||
    code === 'EPERM' ||
    code === 'EINVAL' ||
    code === 'EBADF' ||
    code === 'EACCES'
  );
}
