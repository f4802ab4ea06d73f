import { constants, type Stats } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ProjectError } from '#shared/project/index';
import { PROJECT_FILE } from './projectPaths';

/**
 * Where a project may live. Checked before anything touches the disk, because some places fail
 * slowly or never: `mkdir -p /proc/self/x` loops forever in Node, reading a FIFO named
 * project.json waits for a writer forever, and /sys or /dev are no place for a user's film.
 */
export class ProjectLocationError extends ProjectError {
  constructor(
    readonly folder: string,
    reason: string,
    readonly hint: string,
  ) {
    super('folder', reason, folder);
    // A ProjectError (so the CLI reports it as bad input), worded for a place, not a field.
    this.message = `${folder}: ${reason}`;
    this.name = 'ProjectLocationError';
  }
}

/** Kernel and device trees: files there are not files (Linux /proc, /sys; /dev everywhere). */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];
const CHOOSE = 'Choose a folder in your home or documents folder.';

function inSystemTree(path: string): boolean {
  return SYSTEM_TREES.some((t) => path === t || path.startsWith(t + sep));
}

function kindOf(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular folder';
}

/** The folder itself or its nearest existing parent, with what is there. */
async function nearestExisting(root: string): Promise<{ path: string; info: Stats }> {
  let path = root;
  for (;;) {
    try {
      return { path, info: await stat(path) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(path);
      if (code === 'ENOTDIR')
        throw new ProjectLocationError(root, 'a part of this path is a file, not a folder', CHOOSE);
      if (code !== 'ENOENT' || parent === path)
        throw new ProjectLocationError(root, `cannot be reached (${code ?? 'error'})`, CHOOSE);
      path = parent;
    }
  }
}

async function refuseSystemTree(root: string, existing: string): Promise<void> {
  const real = await realpath(existing).catch(() => existing);
  if (inSystemTree(root) || inSystemTree(real))
    throw new ProjectLocationError(
      root,
      'is inside a system folder (/proc, /sys or /dev), where projects cannot be saved',
      CHOOSE,
    );
}

/** A folder a new project can be created in: not special, a folder (or creatable), writable. */
export async function checkNewProjectFolder(dir: string): Promise<void> {
  const root = resolve(dir);
  const { path, info } = await nearestExisting(root);
  await refuseSystemTree(root, path);
  if (!info.isDirectory())
    throw new ProjectLocationError(
      path === root ? root : path,
      `is ${kindOf(info)}, not a folder`,
      CHOOSE,
    );
  try {
    await access(path, constants.W_OK | constants.X_OK);
  } catch {
    throw new ProjectLocationError(
      root,
      `you cannot write in ${path}`,
      'Choose a folder you own, or change its permissions.',
    );
  }
}

/** A folder holding a project that can be read: not special, its project.json a regular file. */
export async function checkProjectFolderToOpen(dir: string): Promise<void> {
  const root = resolve(dir);
  const { path, info } = await nearestExisting(root);
  await refuseSystemTree(root, path);
  if (path !== root) return; // missing: the store says "no project.json here"
  if (!info.isDirectory())
    throw new ProjectLocationError(root, `is ${kindOf(info)}, not a folder`, CHOOSE);
  const file = join(root, PROJECT_FILE);
  const fileInfo = await stat(file).catch(() => null);
  if (fileInfo && !fileInfo.isFile() && !fileInfo.isDirectory())
    throw new ProjectLocationError(
      file,
      `is ${kindOf(fileInfo)}, not a project file`,
      'Open the folder that holds your project.json.',
    );
  if (fileInfo?.isFile()) {
    try {
      await access(file, constants.R_OK);
    } catch {
      throw new ProjectLocationError(
        file,
        'you cannot read this file',
        'Change its permissions, or open a copy of the project.',
      );
    }
  }
}
