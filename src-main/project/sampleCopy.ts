import { randomBytes } from 'node:crypto';
import { cp, lstat, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectLocationError, checkNewProjectFolder } from './projectLocation';

/** The shipped sample project (the character Sprout and its four motions). */
export const SAMPLE_PROJECT_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'assets',
  'sample-project',
);

export const SAMPLE_FOLDER_NAME = 'Sprout sample';

const NEW_FOLDER =
  'Pose Studio copies the sample only into a new or empty folder: choose another name.';

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Where "Open sample" copies the sample when the user does not choose: `Pose Studio/Sprout sample`
 * in the user's Documents folder (their home when there is none), with " 2", " 3"… added when
 * that name is taken — an existing folder is never reused.
 */
export async function suggestSampleFolder(home: string): Promise<string> {
  const documents = join(home, 'Documents');
  const docsIsFolder = await stat(documents).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const parent = join(docsIsFolder ? documents : home, 'Pose Studio');
  for (let n = 1; n < 10_000; n++) {
    const candidate = join(parent, n === 1 ? SAMPLE_FOLDER_NAME : `${SAMPLE_FOLDER_NAME} ${n}`);
    if (!(await exists(candidate))) return candidate;
  }
  throw new ProjectLocationError(parent, 'holds 9999 sample copies already', NEW_FOLDER);
}

/**
 * Copies the sample project into `target`, which must not exist yet or be an empty real folder
 * (not a link). The copy is made in a hidden folder beside the target and renamed into place, so
 * a copy killed midway never leaves a half project under the user's name, and nothing that was
 * there is overwritten. Returns the project folder.
 */
export async function copySample(target: string, sample = SAMPLE_PROJECT_DIR): Promise<string> {
  const root = resolve(target);
  const there = await lstat(root).catch(() => null);
  if (there?.isSymbolicLink())
    throw new ProjectLocationError(root, 'is a link to another place', NEW_FOLDER);
  if (there && !there.isDirectory())
    throw new ProjectLocationError(root, 'already exists and is not a folder', NEW_FOLDER);
  if (there && (await readdir(root)).length > 0)
    throw new ProjectLocationError(root, 'already exists and is not empty', NEW_FOLDER);
  await checkNewProjectFolder(root);
  await mkdir(dirname(root), { recursive: true });
  const partial = join(
    dirname(root),
    `.${basename(root).slice(0, 200)}.partial-${randomBytes(4).toString('hex')}`,
  );
  try {
    await cp(sample, partial, { recursive: true, errorOnExist: true, force: false });
    // An empty folder the user made for it is replaced by the copy; one that gained files
    // meanwhile makes rmdir fail, and nothing of the user's is touched.
    if (there) await rmdir(root);
    else if (await exists(root))
      throw new ProjectLocationError(root, 'appeared while the sample was copied', NEW_FOLDER);
    await rename(partial, root);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw new ProjectLocationError(root, 'already exists and is not empty', NEW_FOLDER);
    if (code === 'EACCES' || code === 'EPERM')
      throw new ProjectLocationError(
        root,
        `you cannot write in ${dirname(root)}`,
        'Choose a folder you own, or change its permissions.',
      );
    throw e;
  }
  return root;
}
