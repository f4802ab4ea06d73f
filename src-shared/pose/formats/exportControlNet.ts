import { BODY, FACE, FEET, LEFT_HAND, RIGHT_HAND, type PointRange } from '#shared/pose/skeleton';
import { STRIDE, type PersonPose, type PoseFrame } from '#shared/pose/types';
import { frameFileName } from './openposeFolder';

/**
 * Writers for the ControlNet / OpenPose dialect. ControlNet and the web editor drop any point
 * whose confidence is below 1.0, so present points are written `[x, y, 1.0]` and missing ones
 * `[0, 0, 0]`, in pixels, with the canvas size. The body is always the 54-number COCO-18 body
 * (the editor ignores a person without one); hands and face are `null` when no point is present,
 * as ControlNet's own writer does. Feet go to `foot_keypoints_2d` (the key ComfyUI pose nodes
 * use), written only when present: ControlNet and the editor ignore the key.
 */

export interface ControlNetPerson {
  person_id: number[];
  pose_keypoints_2d: number[];
  foot_keypoints_2d?: number[];
  face_keypoints_2d: number[] | null;
  hand_left_keypoints_2d: number[] | null;
  hand_right_keypoints_2d: number[] | null;
}

export interface ControlNetPose {
  version?: number;
  people: ControlNetPerson[];
  animals: unknown[];
  canvas_width: number;
  canvas_height: number;
}

function partNumbers(person: PersonPose, range: PointRange): number[] {
  const out = new Array<number>(range.count * 3).fill(0);
  for (let k = 0; k < range.count; k++) {
    const o = (range.start + k) * STRIDE;
    if (person.points[o + 2]! > 0) {
      out[k * 3] = person.points[o]!;
      out[k * 3 + 1] = person.points[o + 1]!;
      out[k * 3 + 2] = 1;
    }
  }
  return out;
}

function hasAny(person: PersonPose, range: PointRange): boolean {
  for (let k = 0; k < range.count; k++)
    if (person.points[(range.start + k) * STRIDE + 2]! > 0) return true;
  return false;
}

function exportPerson(person: PersonPose): ControlNetPerson {
  const optional = (range: PointRange): number[] | null =>
    hasAny(person, range) ? partNumbers(person, range) : null;
  return {
    person_id: [person.id],
    pose_keypoints_2d: partNumbers(person, BODY),
    ...(hasAny(person, FEET) ? { foot_keypoints_2d: partNumbers(person, FEET) } : {}),
    face_keypoints_2d: optional(FACE),
    hand_left_keypoints_2d: optional(LEFT_HAND),
    hand_right_keypoints_2d: optional(RIGHT_HAND),
  };
}

const hasPoints = (p: PersonPose): boolean =>
  [BODY, FEET, FACE, LEFT_HAND, RIGHT_HAND].some((r) => hasAny(p, r));

/** One frame as a ControlNet pose object (people with no present point are left out). */
export function toControlNetPose(frame: PoseFrame): ControlNetPose {
  return {
    people: frame.people.filter(hasPoints).map(exportPerson),
    animals: [],
    canvas_width: frame.width,
    canvas_height: frame.height,
  };
}

/** ComfyUI POSE_KEYPOINT: one ControlNet object per frame. */
export function toComfyUiPoseKeypoint(frames: readonly PoseFrame[]): ControlNetPose[] {
  return frames.map(toControlNetPose);
}

/**
 * An OpenPose per-frame folder: file name → content, frames numbered from `firstFrame`. Files
 * say `version: 1.3` like CMU OpenPose and keep the canvas size that OpenPose itself leaves out.
 */
export function toOpenPoseFrameFiles(
  frames: readonly PoseFrame[],
  name: string,
  firstFrame = 0,
): { fileName: string; pose: ControlNetPose }[] {
  if (!/^[^/\\]+$/.test(name))
    throw new RangeError(`sequence name must be a plain file name, got "${name}"`);
  return frames.map((f, i) => ({
    fileName: frameFileName(name, firstFrame + i),
    pose: { version: 1.3, ...toControlNetPose(f) },
  }));
}
