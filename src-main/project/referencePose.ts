/**
 * The pose of a character's picture, read from a pose file (`project create --pose`), in picture
 * pixels as the project stores it. Any dialect the pose importers read (ControlNet/OpenPose
 * JSON in pixels or normalized, COCO-18 or BODY_25, ComfyUI POSE_KEYPOINT, DWPose
 * COCO-WholeBody, MediaPipe, COCO keypoints): the first person of the first frame is the pose.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp from 'sharp';
import { PoseFormatError, importPoses } from '#shared/pose/formats/index';
import { POINTS_LENGTH, STRIDE } from '#shared/pose/types';

export class PoseFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'PoseFileError';
  }
}

export interface PictureSize {
  width: number;
  height: number;
}

/** Size of a picture as shown (EXIF orientation applied), the space its pose lives in. */
export async function readPictureSize(file: string): Promise<PictureSize> {
  let meta: { width?: number; height?: number; orientation?: number };
  try {
    meta = await sharp(file, { limitInputPixels: 16384 * 16384 }).metadata();
  } catch (e) {
    throw new PoseFileError(file, `is not a picture sharp can read (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new PoseFileError(file, 'has no size');
  const swap = (meta.orientation ?? 1) >= 5; // orientations 5–8 rotate by 90°
  return swap
    ? { width: meta.height, height: meta.width }
    : { width: meta.width, height: meta.height };
}

export interface ReferencePose {
  /** 408 numbers in picture pixels; missing points are `0, 0, 0`. */
  points: number[];
  warnings: string[];
}

/** Reads the first person of the first frame of a pose file as the picture's pose. */
export async function readReferencePose(
  file: string,
  picture: PictureSize,
): Promise<ReferencePose> {
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // BOM from Windows tools
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PoseFileError(
      file,
      code ? `cannot be read (${code})` : `is not valid JSON (${(e as Error).message})`,
    );
  }
  return parseReferencePose(raw, picture, file);
}

export function parseReferencePose(
  raw: unknown,
  picture: PictureSize,
  file = 'pose',
): ReferencePose {
  let result;
  try {
    result = importPoses(raw, { fileName: basename(file), pictureSize: picture });
  } catch (e) {
    if (e instanceof PoseFormatError) throw new PoseFileError(file, `${e.path}: ${e.reason}`);
    throw e;
  }
  const warnings = result.warnings.map((w) => `${w.path}: ${w.message}`);
  const frame = result.frames[0];
  const person = frame?.people[0];
  if (!frame || !person) throw new PoseFileError(file, 'the file has no person');
  if (result.frames.length > 1)
    warnings.push(
      `the file has ${result.frames.length} frames; the first one is the picture's pose`,
    );
  if (frame.people.length > 1)
    warnings.push(
      `the file has ${frame.people.length} people; the first one is the picture's pose`,
    );

  // The importer gives pixels of the file's canvas (the picture's size when the file has none);
  // a different canvas (e.g. an editor's 768×512) is scaled to the picture, the space stored.
  const points = Array.from(person.points);
  let present = 0;
  for (let i = 0; i < POINTS_LENGTH; i += STRIDE) if (points[i + 2]! > 0) present++;
  if (present === 0) warnings.push('no point of the first person is present');
  if (frame.width !== picture.width || frame.height !== picture.height) {
    const sx = picture.width / frame.width;
    const sy = picture.height / frame.height;
    for (let i = 0; i < POINTS_LENGTH; i += STRIDE) {
      if (points[i + 2]! <= 0) continue;
      points[i] = points[i]! * sx;
      points[i + 1] = points[i + 1]! * sy;
    }
    warnings.push(
      `pose canvas ${frame.width}×${frame.height} differs from the picture ${picture.width}×${picture.height}; points scaled to the picture`,
    );
  }
  return { points, warnings };
}
