/**
 * The pose of a character's picture, read from a pose file (`project create --pose`), in picture
 * pixels as the project stores it.
 *
 * This reads the plain ControlNet / OpenPose JSON shape only (`{people: [{pose_keypoints_2d, …}],
 * canvas_width, canvas_height}`, COCO-18 or BODY_25 body, pixels or normalized) through a small
 * zod parse: the full importers (DWPose, MediaPipe, ComfyUI, CMU folders) live in
 * `src-shared/pose/formats/` and can replace `parseControlNetPerson` once they have landed.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { BODY_COUNT, FACE, FEET, LEFT_HAND, RIGHT_HAND } from '../../../src-shared/pose/skeleton';
import { POINTS_LENGTH, STRIDE } from '../../../src-shared/pose/types';
import { formatFieldPath } from '../../../src-shared/project';

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

const part = z.array(z.number()).nullable().optional();
const ControlNetPoseSchema = z.looseObject({
  people: z.array(
    z.looseObject({
      pose_keypoints_2d: part,
      face_keypoints_2d: part,
      hand_left_keypoints_2d: part,
      hand_right_keypoints_2d: part,
    }),
  ),
  canvas_width: z.number().positive().optional(),
  canvas_height: z.number().positive().optional(),
});

export interface ReferencePose {
  /** 408 numbers in picture pixels; missing points are `0, 0, 0`. */
  points: number[];
  warnings: string[];
}

/** Reads the first person of a ControlNet/OpenPose JSON file as the picture's pose. */
export async function readReferencePose(
  file: string,
  picture: PictureSize,
): Promise<ReferencePose> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
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
  const r = ControlNetPoseSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new PoseFileError(
      file,
      `${formatFieldPath(issue.path).replace(/^project$/, 'file')}: ${issue.message} (expected ControlNet/OpenPose JSON {"people": [...]})`,
    );
  }
  const pose = r.data;
  const warnings: string[] = [];
  const person = pose.people[0];
  if (!person) throw new PoseFileError(file, 'people: the file has no person');
  if (pose.people.length > 1)
    warnings.push(`the file has ${pose.people.length} people; the first one is the picture's pose`);

  const points = new Array<number>(POINTS_LENGTH).fill(0);
  const put = (target: number, src: number[], srcIndex: number) => {
    const x = src[srcIndex * 3]!;
    const y = src[srcIndex * 3 + 1]!;
    const c = src[srcIndex * 3 + 2]!;
    if (!(c > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return;
    points[target * STRIDE] = x;
    points[target * STRIDE + 1] = y;
    points[target * STRIDE + 2] = Math.min(c, 1);
  };
  const body = person.pose_keypoints_2d ?? [];
  if (body.length === 75) {
    // BODY_25: MidHip (8) is not in COCO-18; its feet (19–24) are ours (18–23), same order.
    for (let i = 0; i < BODY_COUNT; i++) put(i, body, i < 8 ? i : i + 1);
    for (let i = 0; i < FEET.count; i++) put(FEET.start + i, body, 19 + i);
  } else if (body.length === 54) {
    for (let i = 0; i < BODY_COUNT; i++) put(i, body, i);
  } else if (body.length !== 0) {
    throw new PoseFileError(
      file,
      `people[0].pose_keypoints_2d: has ${body.length} numbers; expected 54 (COCO-18) or 75 (BODY_25)`,
    );
  }
  const parts = [
    ['face_keypoints_2d', FACE, [210, 204]],
    ['hand_left_keypoints_2d', LEFT_HAND, [63]],
    ['hand_right_keypoints_2d', RIGHT_HAND, [63]],
  ] as const;
  for (const [key, range, lengths] of parts) {
    const values = person[key] ?? [];
    if (values.length === 0) continue;
    if (!(lengths as readonly number[]).includes(values.length)) {
      warnings.push(`people[0].${key}: ${values.length} numbers instead of ${lengths[0]}; ignored`);
      continue;
    }
    for (let i = 0; i < values.length / 3; i++) put(range.start + i, values, i);
  }

  // Normalized files (every present |x|, |y| ≤ 1) are scaled to the canvas; pixel files whose
  // canvas differs from the picture are scaled to the picture, the space the project stores.
  let present = 0;
  let normalized = true;
  for (let i = 0; i < POINTS_LENGTH; i += STRIDE) {
    if (points[i + 2]! <= 0) continue;
    present++;
    if (Math.abs(points[i]!) > 1 || Math.abs(points[i + 1]!) > 1) normalized = false;
  }
  if (present === 0) warnings.push('no point of the first person is present');
  const canvas =
    pose.canvas_width && pose.canvas_height
      ? { width: pose.canvas_width, height: pose.canvas_height }
      : undefined;
  let sx = 1;
  let sy = 1;
  if (present > 0 && normalized) {
    sx = picture.width;
    sy = picture.height;
  } else if (canvas && (canvas.width !== picture.width || canvas.height !== picture.height)) {
    sx = picture.width / canvas.width;
    sy = picture.height / canvas.height;
    warnings.push(
      `pose canvas ${canvas.width}×${canvas.height} differs from the picture ${picture.width}×${picture.height}; points scaled to the picture`,
    );
  }
  if (sx !== 1 || sy !== 1) {
    for (let i = 0; i < POINTS_LENGTH; i += STRIDE) {
      if (points[i + 2]! <= 0) continue;
      points[i] = points[i]! * sx;
      points[i + 1] = points[i + 1]! * sy;
    }
  }
  return { points, warnings };
}
