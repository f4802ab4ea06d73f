/**
 * Copying a user's file (a picture, a mask, an audio track) into the project's `assets/` folder
 * under a portable, unique name, so the project folder is self-contained and can be moved.
 * Re-importing the same file (same name, same bytes) reuses the copy instead of duplicating it.
 */
import { constants } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { safeFileName } from '#shared/project/index';
import { tempPathFor } from '#main/fs/atomicWrite';
import { projectFolder } from './projectPaths';

export class AssetImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'AssetImportError';
  }
}

/** Files up to this size are compared byte for byte to reuse an identical earlier import. */
const DEDUPE_LIMIT = 256 * 1024 * 1024;

/** Copies `sourcePath` into `<dir>/assets/` and returns its project path (`assets/<name>`). */
export async function importAsset(dir: string, sourcePath: string): Promise<string> {
  const source = resolve(sourcePath);
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new AssetImportError(source, 'does not exist');
  if (!info.isFile()) throw new AssetImportError(source, 'is not a file');

  // The copy goes into the project's own assets/ (its real path): never through an `assets` link
  // into a folder elsewhere (a ProjectError naming the link says what to do).
  await mkdir(resolve(dir), { recursive: true }); // `project create` imports before the project exists
  const assets = await projectFolder(dir, 'assets');
  await mkdir(assets, { recursive: true });
  const name = safeFileName(source);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';

  // Copy under a temporary name first, so a crash never leaves a half-copied asset behind a
  // real name; then claim the first free name with link() (fails if taken, unlike rename()).
  const tmp = tempPathFor(join(assets, name));
  await copyFile(source, tmp);
  // A copy keeps the source's mode; the project's copy must stay writable (read-only sources).
  await chmod(tmp, 0o644);
  try {
    for (let n = 1; n < 10_000; n++) {
      const candidate = n === 1 ? name : `${stem}-${n}${ext}`;
      const target = join(assets, candidate);
      // lstat: a name taken by a link (or a pipe) is taken, never reused or read through.
      const existing = await lstat(target).catch(() => undefined);
      if (existing) {
        if (existing.isFile() && (await sameContent(existing.size, target, info.size, tmp)))
          return `assets/${candidate}`;
        continue;
      }
      if (await claim(tmp, target)) return `assets/${candidate}`;
    }
    throw new AssetImportError(source, `no free name for ${name} in assets/`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function claim(tmp: string, target: string): Promise<boolean> {
  try {
    await link(tmp, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    // File systems without hard links (FAT, some network shares): copy, refusing to overwrite.
    try {
      await copyFile(tmp, target, constants.COPYFILE_EXCL);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }
}

async function sameContent(sizeA: number, a: string, sizeB: number, b: string): Promise<boolean> {
  if (sizeA !== sizeB || sizeA > DEDUPE_LIMIT) return false;
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}
