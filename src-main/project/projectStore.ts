/**
 * The project on disk: a folder with `project.json`, `assets/`, `cache/` and `renders/`.
 * Loading validates and migrates (never writes); saving validates first, keeps the previous file
 * as `project.json.bak` and replaces `project.json` atomically.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  ProjectError,
  createDefaultProject,
  migrateProject,
  parseProject,
  serializeProject,
  type Project,
} from '#shared/project/index';
import { atomicWrite, removeStaleTempFiles } from '#main/fs/atomicWrite';
import {
  BACKUP_FILE,
  PROJECT_FILE,
  PROJECT_FOLDERS,
  projectFolder,
  projectRoot,
  realProjectFile,
  type ProjectRoot,
} from './projectPaths';
import { checkNewProjectFolder, checkProjectFolderToOpen } from './projectLocation';

/** Something a user should know about a project that still loads (e.g. a missing picture). */
export interface ProjectWarning {
  field: string;
  message: string;
}

export interface LoadedProject {
  project: Project;
  /** Absolute project folder. */
  dir: string;
  /** The folder and its real path, resolved once: what project paths must stay inside of. */
  root: ProjectRoot;
  /** Absolute path of `project.json`. */
  file: string;
  /** Format version the file had, when it was migrated on load (the file is left as it was). */
  migratedFrom?: number;
  warnings: ProjectWarning[];
}

export interface CreateProjectOptions {
  /** Name of the new project (default: "Untitled"). */
  name?: string;
  /** Start from this project instead of the defaults (validated). */
  project?: Project;
}

export async function createProject(
  dir: string,
  options: CreateProjectOptions = {},
): Promise<LoadedProject> {
  const root = resolve(dir);
  const file = join(root, PROJECT_FILE);
  await checkNewProjectFolder(root);
  if (await exists(file))
    throw new ProjectError('project', 'a project already exists in this folder', file);
  const info = await stat(root).catch(() => undefined);
  if (info && !info.isDirectory())
    throw new ProjectError('project', 'is a file, not a folder', root);
  await mkdir(root, { recursive: true });
  const real = await projectRoot(root);
  // A folder that already holds `assets`/`cache`/`renders` links leading elsewhere is refused
  // before anything is written through them.
  for (const folder of PROJECT_FOLDERS) {
    await projectFolder(real, folder);
    await mkdir(join(root, folder), { recursive: true });
  }
  const base = options.project ?? createDefaultProject();
  const project = await saveProject(root, options.name ? { ...base, name: options.name } : base);
  return { project, dir: root, root: real, file, warnings: await checkAssets(real, project) };
}

export async function loadProject(dir: string): Promise<LoadedProject> {
  const root = resolve(dir);
  const file = join(root, PROJECT_FILE);
  await checkProjectFolderToOpen(root);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ProjectError(
        'project',
        'no project.json here (not a Pose Studio project folder)',
        file,
      );
    if (code === 'EISDIR') throw new ProjectError('project', 'project.json is a folder', file);
    throw new ProjectError('project', `cannot be read (${code ?? String(e)})`, file);
  }
  let raw: unknown;
  try {
    // Windows editors may save with a byte-order mark, which JSON.parse refuses.
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ProjectError('project', `is not valid JSON (${(e as Error).message})`, file);
  }
  let result;
  try {
    result = migrateProject(raw);
  } catch (e) {
    throw e instanceof ProjectError ? e.inFile(file) : e;
  }
  const real = await projectRoot(root);
  const loaded: LoadedProject = {
    project: result.project,
    dir: root,
    root: real,
    file,
    warnings: await checkAssets(real, result.project),
  };
  if (result.migratedFrom !== undefined) loaded.migratedFrom = result.migratedFrom;
  return loaded;
}

// Saves of one folder run one after another, so `.bak` is always the file a save replaced.
const saving = new Map<string, Promise<unknown>>();

/**
 * Validates and writes the project; returns it as validated (defaults filled, paths normalised).
 * An invalid project is refused with a `ProjectError` and nothing on disk changes.
 */
export async function saveProject(dir: string, project: Project): Promise<Project> {
  const root = resolve(dir);
  const file = join(root, PROJECT_FILE);
  let valid: Project;
  try {
    valid = parseProject(project);
  } catch (e) {
    throw e instanceof ProjectError ? e.inFile(file) : e;
  }
  const text = serializeProject(valid);
  const previous = saving.get(root) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() => writeWithBackup(root, text))
    .catch((e: unknown) => {
      // Disk full, folder gone, no permission: say which file and why, keep the code.
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'the project folder does not exist' : err.message;
      throw new ProjectError('project', `cannot be saved (${why})`, file);
    });
  saving.set(root, run);
  try {
    await run;
  } finally {
    if (saving.get(root) === run) saving.delete(root);
  }
  return valid;
}

async function writeWithBackup(root: string, text: string): Promise<void> {
  const file = join(root, PROJECT_FILE);
  const old = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  // The backup is written atomically too: a crash here leaves the old backup and the old file.
  if (old !== undefined) await atomicWrite(join(root, BACKUP_FILE), old);
  await atomicWrite(file, text);
  await removeStaleTempFiles(file);
  await removeStaleTempFiles(join(root, BACKUP_FILE));
}

/** Every file path a project refers to, with the field that holds it. */
export function projectAssetPaths(project: Project): { field: string; path: string }[] {
  const out: { field: string; path: string }[] = [];
  project.characters.forEach((c, i) => {
    out.push({ field: `characters[${i}].picture`, path: c.picture });
    if (c.mask) out.push({ field: `characters[${i}].mask`, path: c.mask });
    c.referenceFrames.forEach((f, j) => {
      out.push({ field: `characters[${i}].referenceFrames[${j}].picture`, path: f.picture });
      if (f.mask) out.push({ field: `characters[${i}].referenceFrames[${j}].mask`, path: f.mask });
    });
  });
  if (project.output.audio) out.push({ field: 'output.audio', path: project.output.audio });
  return out;
}

/**
 * Referenced files that are missing, not files (folders, pipes, devices), or lead outside the
 * project (as warnings: the project still opens so the user can fix it in the studio).
 */
export async function checkAssets(
  root: string | ProjectRoot,
  project: Project,
): Promise<ProjectWarning[]> {
  const warnings: ProjectWarning[] = [];
  for (const { field, path } of projectAssetPaths(project)) {
    try {
      const real = await realProjectFile(root, path, field);
      if (real === undefined) warnings.push({ field, message: `${path} does not exist` });
    } catch (e) {
      if (e instanceof ProjectError) warnings.push({ field, message: e.reason });
      else warnings.push({ field, message: `${path} cannot be checked (${String(e)})` });
    }
  }
  return warnings;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
