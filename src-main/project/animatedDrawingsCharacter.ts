/**
 * Reads an AnimatedDrawings character folder (`char_cfg.yaml`, `texture.png`, `mask.png`) as a
 * Pose Studio character: the picture, the user's mask and the reference pose (mapped from the
 * rig's named joints to COCO-18 in src-shared/pose/animatedDrawings). Only the file reading and
 * its checks live here: a file that is not where it says (a link out of the folder), not a
 * regular file, too large, or of another size than the config says is refused with its name.
 */
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  CharacterConfigError,
  MAX_CONFIG_BYTES,
  parseCharacterConfig,
} from '#shared/pose/animatedDrawings/characterConfig';
import { type RigWarning, rigToCoco } from '#shared/pose/animatedDrawings/rigToCoco';
import type { PoseFrame } from '#shared/pose/types';
import { PoseFileError, readPictureSize } from './referencePose';

export const CHARACTER_FILES = {
  config: 'char_cfg.yaml',
  picture: 'texture.png',
  mask: 'mask.png',
} as const;

export interface AnimatedDrawingsCharacter {
  /** Absolute paths of the character's picture and mask (inside the folder). */
  picturePath: string;
  maskPath: string;
  /** The reference pose on the picture's canvas (one person). */
  pose: PoseFrame;
  warnings: RigWarning[];
}

/** A file of the folder by its real path, refused if it leaves the folder or is not a file. */
async function fileInside(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  const info = await lstat(path).catch(() => undefined);
  if (!info)
    throw new PoseFileError(
      path,
      `is missing (an AnimatedDrawings character folder has ${Object.values(CHARACTER_FILES).join(', ')})`,
    );
  const real = await realpath(path);
  const rel = relative(await realpath(dir), real);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw new PoseFileError(
      path,
      `links outside the character folder (to ${real}); copy the file in instead`,
    );
  const target = await lstat(real);
  if (!target.isFile()) throw new PoseFileError(path, 'is not a regular file');
  return real;
}

/** Reads at most `limit` bytes; a longer file is refused without reading it all. */
async function readLimited(path: string, limit: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    const { bytesRead } = await handle.read(buffer, 0, limit + 1, 0);
    if (bytesRead > limit)
      throw new PoseFileError(
        path,
        `is larger than ${limit} bytes; a character config is a few KB`,
      );
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function readAnimatedDrawingsCharacter(
  folder: string,
): Promise<AnimatedDrawingsCharacter> {
  const dir = resolve(folder);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new PoseFileError(dir, 'is not a folder');
  const configPath = await fileInside(dir, CHARACTER_FILES.config);
  let rig;
  try {
    rig = parseCharacterConfig(await readLimited(configPath, MAX_CONFIG_BYTES));
  } catch (e) {
    if (e instanceof CharacterConfigError) throw new PoseFileError(configPath, e.message);
    throw e;
  }
  const picturePath = await fileInside(dir, CHARACTER_FILES.picture);
  const maskPath = await fileInside(dir, CHARACTER_FILES.mask);
  for (const path of [picturePath, maskPath]) {
    const size = await readPictureSize(path);
    if (size.width !== rig.width || size.height !== rig.height)
      throw new PoseFileError(
        path,
        `is ${size.width}×${size.height} but ${CHARACTER_FILES.config} says ${rig.width}×${rig.height}`,
      );
  }
  const { frame, warnings } = rigToCoco(rig);
  let body = 0;
  const points = frame.people[0]!.points;
  for (let i = 0; i < 18; i++) if (points[i * 3 + 2]! > 0) body++;
  if (body < 2)
    throw new PoseFileError(
      configPath,
      `maps to ${body} COCO-18 joint${body === 1 ? '' : 's'}; a character needs at least 2 (${warnings.map((w) => w.message).join('; ')})`,
    );
  return { picturePath, maskPath, pose: frame, warnings };
}
