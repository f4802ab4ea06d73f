import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Where a render's output goes, and the rules that keep the user's files safe:
 *
 * - The output is written under a short temporary name in the same folder
 *   (`.pose-studio-partial-<pid>-<hex><ext>`, never longer than ~45 bytes, so a 255-byte output
 *   name still works) and only moved into place when complete and checked.
 * - An existing file, or an existing non-empty folder, is refused unless it is provably this
 *   render's previous output (a folder carries `OUTPUT_MARKER`, a file is vouched for by the
 *   caller, e.g. the job manifest) or the user said `--overwrite`.
 * - A folder output is never removed or renamed over: when the folder exists, the new files are
 *   moved into it one by one, replacing only files of the same name; the user's files stay.
 */

/** The output folder is missing or not writable, or the output path is unusable or taken. */
export class OutputPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputPathError';
  }
}

/** Written into every folder output: says which render made it (format and frame range). */
export const OUTPUT_MARKER = '.pose-studio-output.json';

export interface OutputIdentity {
  /** 'png' | 'controlnet' | 'conditioning' for folders; the video format for files. */
  format: string;
  from: number;
  to: number;
}

const PARTIAL_PREFIX = '.pose-studio-partial-';

/** A fresh temporary name beside `output`: short, hidden, unique, same extension (ffmpeg muxers). */
export function partialPath(output: string): string {
  const ext = extname(output);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(output), `${PARTIAL_PREFIX}${tag}${ext.length <= 16 ? ext : ''}`);
}

/** Whether a process of this machine with `pid` runs (EPERM: it runs under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary outputs of renders whose process died (killed, crashed), in `output`'s folder:
 * removed before a new export. Only names this module makes (or older versions made for this
 * output: `.<name>.partial-<pid><ext>`) are candidates, and only when their pid is not alive.
 */
export async function removeDeadPartials(output: string): Promise<string[]> {
  const dir = dirname(output);
  const ext = extname(output);
  const legacy = `.${basename(output, ext)}.partial-`;
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    let pid: number;
    if (name.startsWith(PARTIAL_PREFIX))
      pid = Number(/^(\d+)-/.exec(name.slice(PARTIAL_PREFIX.length))?.[1]);
    else if (name.startsWith(legacy) && name.endsWith(ext))
      pid = Number(name.slice(legacy.length, name.length - ext.length || undefined));
    else continue;
    if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

async function readMarker(folder: string): Promise<OutputIdentity | null> {
  try {
    const m = JSON.parse(
      await readFile(join(folder, OUTPUT_MARKER), 'utf8'),
    ) as Partial<OutputIdentity>;
    return typeof m.format === 'string' && typeof m.from === 'number' && typeof m.to === 'number'
      ? { format: m.format, from: m.from, to: m.to }
      : null;
  } catch {
    return null;
  }
}

export interface ClaimOptions {
  kind: 'file' | 'folder';
  identity: OutputIdentity;
  /** The user allows replacing what is there (files of the same name only; nothing is removed). */
  overwrite?: boolean;
  /** The caller has proof that the existing file is this render's previous output. */
  ownsExisting?: boolean;
}

/**
 * Checks that `output` may be written: its folder exists and is writable, and whatever is at the
 * path already may be replaced. Throws `OutputPathError` with one line saying what to do.
 */
export async function claimOutput(output: string, opts: ClaimOptions): Promise<void> {
  const dir = dirname(output);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new OutputPathError(`output folder ${dir} does not exist`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new OutputPathError(`output folder ${dir} is not writable`);
  }
  const existing = await stat(output).catch(() => null);
  if (!existing) return;
  const wantDir = opts.kind === 'folder';
  if (existing.isDirectory() !== wantDir)
    throw new OutputPathError(
      `${output} exists and is a ${existing.isDirectory() ? 'folder' : 'file'}; choose another ${wantDir ? 'folder' : 'file name'}`,
    );
  if (opts.overwrite || opts.ownsExisting) return;
  if (wantDir) {
    const names = await readdir(output);
    if (names.length === 0) return;
    const marker = await readMarker(output);
    const id = opts.identity;
    if (marker && marker.format === id.format && marker.from === id.from && marker.to === id.to)
      return;
    throw new OutputPathError(
      `${output} already exists and holds files that this render did not make; choose a new folder, or add --overwrite to write beside them (files of the same name are replaced)`,
    );
  }
  throw new OutputPathError(
    `${output} already exists; choose another name, or add --overwrite to replace it`,
  );
}

/** Creates the temporary folder a folder output is written into. */
export async function makePartialFolder(output: string): Promise<string> {
  const tmp = partialPath(output);
  await mkdir(tmp);
  return tmp;
}

/**
 * Moves a finished temporary output into place. A file replaces the path in one rename. A folder
 * is renamed into place when the path is free; otherwise its files are moved into the existing
 * folder (the user's other files stay) and the emptied temporary folder is removed.
 */
export async function moveIntoPlace(
  tmp: string,
  output: string,
  kind: 'file' | 'folder',
  identity: OutputIdentity,
): Promise<void> {
  if (kind === 'file') {
    await rename(tmp, output);
    return;
  }
  const marker = `${JSON.stringify({ tool: 'pose-studio', ...identity })}\n`;
  await writeFile(join(tmp, OUTPUT_MARKER), marker);
  if (!(await stat(output).catch(() => null))) {
    try {
      await rename(tmp, output);
      return;
    } catch (e) {
      // Someone created the folder meanwhile: fall through and move the files in.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e;
    }
  }
  for (const name of await readdir(tmp)) await rename(join(tmp, name), join(output, name));
  await rmdir(tmp);
}
