/**
 * Turning a project-relative path into a file on disk without ever leaving the project folder.
 *
 * A project is a folder people share, unpack and open: a symlink inside it (`assets/hero.png →
 * ~/.ssh/id_rsa`, `cache → ~/Documents`) must not make Pose Studio read, write or delete outside
 * it. `resolveInsideProject` is the one place that decides: the pure string rules of
 * `src-shared/project/paths.ts` (no absolute paths, no `..`), then the real path of the target
 * compared with the real path of the project folder, then the kind of file — named pipes, devices
 * and sockets are refused because opening one blocks a read forever.
 *
 * What it cannot close: a link swapped in between this check and the read or write that follows
 * (Node has no openat/O_NOFOLLOW for paths). The check runs right before each use.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { ProjectError, checkProjectPath } from '#shared/project/index';

export const PROJECT_FILE = 'project.json';
export const BACKUP_FILE = 'project.json.bak';
/** Sub-folders every project has. */
export const PROJECT_FOLDERS = ['assets', 'cache', 'renders'] as const;

/** A project folder with its real path (symlinks of the folder itself resolved once). */
export interface ProjectRoot {
  /** The folder as opened (absolute). */
  readonly dir: string;
  /** Its real path: what every target's real path must be inside of. */
  readonly real: string;
}

/** Resolves the real path of a project folder; `ProjectError` if it does not exist. */
export async function projectRoot(dir: string | ProjectRoot): Promise<ProjectRoot> {
  if (typeof dir !== 'string') return dir;
  const abs = resolve(dir);
  try {
    return { dir: abs, real: await realpath(abs) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProjectError(
      'project',
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'the project folder does not exist'
        : `the project folder cannot be opened (${describeCode(code)})`,
      abs,
    );
  }
}

/** The absolute file a project path names (string rules only); `ProjectError(field)` if refused. */
export function projectFile(dir: string, path: string, field = 'path'): string {
  const r = checkProjectPath(path);
  if (!r.ok) throw new ProjectError(field, `path "${path}" ${r.reason}`);
  return join(resolve(dir), ...r.path.split('/'));
}

/** True if `file` is inside `dir` (both absolute, already resolved). */
export function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export interface InsideOptions {
  /** The field of `project.json` (or `project` for the fixed folders) the error names. */
  field?: string;
  /** What the path must be when it exists (default: either). */
  kind?: 'file' | 'folder';
  /** Throw when it does not exist (default: return `exists: false`). */
  mustExist?: boolean;
}

export interface InsidePath {
  /**
   * Real absolute path. For a path that does not exist yet: the real path of its deepest existing
   * folder (inside the project) joined with the missing rest — what a write would create.
   */
  path: string;
  exists: boolean;
}

/**
 * The file or folder `relPath` names inside the project, checked: refuses `..` and absolute
 * paths, links (anywhere along the path) that lead outside the project, dangling links, link
 * loops, and named pipes, devices and sockets. Errors are `ProjectError`s whose reason names the
 * project-relative path at fault and says what to do.
 */
export async function resolveInsideProject(
  root: string | ProjectRoot,
  relPath: string,
  options: InsideOptions = {},
): Promise<InsidePath> {
  const field = options.field ?? 'project';
  const checked = checkProjectPath(relPath);
  if (!checked.ok) throw new ProjectError(field, `path "${relPath}" ${checked.reason}`);
  const r = await projectRoot(root);
  const segments = checked.path.split('/');
  // Fast path: one realpath and one stat when nothing is wrong.
  const real = await realpath(join(r.real, ...segments)).catch(() => undefined);
  if (real !== undefined && isInside(r.real, real)) {
    const info = await stat(real).catch(() => undefined);
    if (info) {
      checkKind(field, checked.path, info, options.kind);
      return { path: real, exists: true };
    }
  }
  // Something is missing, a link, or wrong: walk the path to name the part at fault.
  let current = r.real;
  for (let i = 0; i < segments.length; i++) {
    const rel = segments.slice(0, i + 1).join('/');
    const next = join(current, segments[i]!);
    let info: Stats;
    try {
      info = await lstat(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (options.mustExist) throw new ProjectError(field, `${checked.path} does not exist`);
        return { path: join(next, ...segments.slice(i + 1)), exists: false };
      }
      if (code === 'ENOTDIR')
        throw new ProjectError(field, `${segments.slice(0, i).join('/')} is a file, not a folder`);
      throw new ProjectError(field, `${rel} cannot be read (${describeCode(code)})`);
    }
    if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(next);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ELOOP')
          throw new ProjectError(
            field,
            `${rel} is a link that leads back to itself (a loop); ${fixFor(rel, 'remove')}`,
          );
        if (code === 'ENOENT' || code === 'ENOTDIR')
          throw new ProjectError(
            field,
            `${rel} is a link to something that does not exist; ${fixFor(rel, 'remove')}`,
          );
        throw new ProjectError(field, `${rel} cannot be read (${describeCode(code)})`);
      }
      if (target !== r.real && !isInside(r.real, target)) {
        const folder = (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
        throw new ProjectError(
          field,
          `${rel} is a link to a ${folder ? 'folder' : 'file'} outside the project; ${fixFor(rel, folder ? 'folder' : 'file')}`,
        );
      }
      current = target;
      info = await stat(target);
    } else current = next;
    if (i < segments.length - 1 && !info.isDirectory())
      throw new ProjectError(field, `${rel} is a file, not a folder`);
    if (i === segments.length - 1) checkKind(field, rel, info, options.kind);
  }
  return { path: current, exists: true };
}

/** A project folder (`cache`, `renders`, `cache/segments` …) checked as a folder, may be missing. */
export async function projectFolder(root: string | ProjectRoot, relPath: string): Promise<string> {
  return (await resolveInsideProject(root, relPath, { kind: 'folder' })).path;
}

/**
 * Follows symlinks of an existing project file and checks it is still in the project and a
 * regular file. Returns the real path, or undefined if the file does not exist.
 */
export async function realProjectFile(
  dir: string | ProjectRoot,
  path: string,
  field = 'path',
): Promise<string | undefined> {
  const r = await resolveInsideProject(dir, path, { field, kind: 'file' });
  return r.exists ? r.path : undefined;
}

function checkKind(field: string, rel: string, info: Stats, kind?: 'file' | 'folder'): void {
  const special = info.isFIFO()
    ? 'a named pipe'
    : info.isSocket()
      ? 'a socket'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : null;
  // Opening a pipe or a device blocks (or streams forever): refuse before anything reads it.
  if (special)
    throw new ProjectError(field, `${rel} is ${special}, not a file; replace it with a real file`);
  if (kind === 'file' && info.isDirectory())
    throw new ProjectError(field, `${rel} is a folder, not a file`);
  if (kind === 'folder' && !info.isDirectory())
    throw new ProjectError(field, `${rel} is a file, not a folder`);
}

/** What to do about a bad link, in the words of the folder it is in. */
function fixFor(rel: string, what: 'file' | 'folder' | 'remove'): string {
  const top = rel.split('/')[0]!;
  if (top === 'cache')
    return 'delete the link: Pose Studio makes a new cache folder inside the project (everything in it can be rendered again)';
  if (top === 'renders')
    return 'replace the link with a real folder (move the renders you want to keep into it)';
  if (what === 'remove') return 'remove the link, or put the real file there';
  if (what === 'folder') return 'replace the link with a real folder holding copies of the files';
  const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
  return `copy the file into the project's ${folder || 'assets'} folder`;
}

function describeCode(code: string | undefined): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENAMETOOLONG') return 'the path is too long';
  return code ?? 'unknown error';
}
