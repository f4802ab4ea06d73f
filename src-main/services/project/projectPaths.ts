/**
 * Turning a project-relative path into a file on disk without ever leaving the project folder:
 * the pure string rules of `src-shared/project/paths.ts`, then — for files that exist — the real
 * path, so a symlink inside `assets/` cannot lead outside either.
 */
import { realpath } from 'node:fs/promises';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { ProjectError, checkProjectPath } from '../../../src-shared/project';

export const PROJECT_FILE = 'project.json';
export const BACKUP_FILE = 'project.json.bak';
/** Sub-folders every project has. */
export const PROJECT_FOLDERS = ['assets', 'cache', 'renders'] as const;

/** The absolute file a project path names; throws `ProjectError(field)` if it would escape. */
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

/**
 * Follows symlinks of an existing project file and checks the target is still in the project.
 * Returns the real path, or undefined if the file does not exist.
 */
export async function realProjectFile(
  dir: string,
  path: string,
  field = 'path',
): Promise<string | undefined> {
  const file = projectFile(dir, path, field);
  let real: string;
  try {
    real = await realpath(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const root = await realpath(resolve(dir));
  if (!isInside(root, real))
    throw new ProjectError(
      field,
      `path "${path}" leads outside the project folder (through a link)`,
    );
  return real;
}
