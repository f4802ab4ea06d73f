import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

export type BinarySource = 'settings' | 'env' | 'bundled' | 'path';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface BinaryLookup {
  /** The user's setting (`ffmpegPath`); empty or undefined = not set. */
  settingsPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Path of the `@ffmpeg-installer` binary, or null when the package has none for this platform. */
  bundledPath?: () => string | null;
}

/** ffmpeg could not be found or run: the message says where it looked. */
export class FfmpegNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FfmpegNotFoundError';
  }
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exe);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** The binary shipped by the `@ffmpeg-installer/ffmpeg` npm package (no download at run time). */
export function bundledFfmpegPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@ffmpeg-installer/ffmpeg') as { path?: string };
    return mod.path && isExecutable(mod.path) ? mod.path : null;
  } catch {
    return null;
  }
}

/**
 * ffmpeg from, in order: the user's setting → `FFMPEG_PATH` → the `@ffmpeg-installer` binary →
 * `PATH`. An explicit setting or variable that points nowhere is an error, not a silent fallback:
 * the user asked for that binary.
 */
export function resolveFfmpeg(lookup: BinaryLookup = {}): ResolvedBinary {
  const env = lookup.env ?? process.env;
  if (lookup.settingsPath) {
    if (isExecutable(lookup.settingsPath)) return { path: lookup.settingsPath, source: 'settings' };
    throw new FfmpegNotFoundError(
      `ffmpeg not found: the ffmpegPath setting points to "${lookup.settingsPath}", which is not an executable file`,
    );
  }
  if (env.FFMPEG_PATH) {
    if (isExecutable(env.FFMPEG_PATH)) return { path: env.FFMPEG_PATH, source: 'env' };
    throw new FfmpegNotFoundError(
      `ffmpeg not found: FFMPEG_PATH is "${env.FFMPEG_PATH}", which is not an executable file`,
    );
  }
  const bundled = (lookup.bundledPath ?? bundledFfmpegPath)();
  if (bundled) return { path: bundled, source: 'bundled' };
  const found = onPath('ffmpeg', env);
  if (found) return { path: found, source: 'path' };
  throw new FfmpegNotFoundError(
    'ffmpeg not found: set it in Settings or FFMPEG_PATH, or install it (Debian: apt-get install ffmpeg)',
  );
}

/**
 * The binary shipped by the `@ffprobe-installer/ffprobe` npm package. Its tarballs carry the file
 * without the execute bit and the package's own postinstall (which would set it) does not run,
 * because install scripts are off (.npmrc): so the bit is set here, once, on the package's copy.
 */
export function bundledFfprobePath(): string | null {
  let path: string | undefined;
  try {
    const require = createRequire(import.meta.url);
    path = (require('@ffprobe-installer/ffprobe') as { path?: string }).path;
  } catch {
    return null; // no build for this platform, or the package is missing
  }
  if (!path) return null;
  if (isExecutable(path)) return path;
  try {
    if (process.platform !== 'win32') chmodSync(path, 0o755);
  } catch {
    return null; // read-only install (e.g. a system package): fall through to PATH
  }
  return isExecutable(path) ? path : null;
}

/**
 * ffprobe from, in order: `FFPROBE_PATH` → beside an ffmpeg the user chose (setting or
 * `FFMPEG_PATH`), so a configured build is used whole → the `@ffprobe-installer` binary → beside the
 * resolved ffmpeg → `PATH`. The bundled binary comes before PATH for the same reason as ffmpeg's: a
 * machine with no system ffmpeg (or an old one) renders the same as any other.
 */
export function resolveFfprobe(
  ffmpeg: ResolvedBinary,
  env: NodeJS.ProcessEnv = process.env,
  bundledPath: () => string | null = bundledFfprobePath,
): string {
  if (env.FFPROBE_PATH) {
    if (isExecutable(env.FFPROBE_PATH)) return env.FFPROBE_PATH;
    throw new FfmpegNotFoundError(
      `ffprobe not found: FFPROBE_PATH is "${env.FFPROBE_PATH}", which is not an executable file`,
    );
  }
  const exe = process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe';
  const sibling = join(dirname(ffmpeg.path), exe);
  const userChose = ffmpeg.source === 'settings' || ffmpeg.source === 'env';
  if (userChose && isExecutable(sibling)) return sibling;
  const bundled = bundledPath();
  if (bundled) return bundled;
  if (isExecutable(sibling)) return sibling;
  const found = onPath('ffprobe', env);
  if (found) return found;
  throw new FfmpegNotFoundError(
    'ffprobe not found (needed to check the finished video): set FFPROBE_PATH or install ffmpeg (Debian: apt-get install ffmpeg)',
  );
}
