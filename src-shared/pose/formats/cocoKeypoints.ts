import { FACE, FEET, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { createPerson, setPoint, STRIDE, type PersonPose } from '#shared/pose/types';
import { PoseFormatError, WarningSink, type PathStep } from './errors';
import { isJsonObject, type JsonObject } from '#shared/project/json';
import { expectArray, expectPointValue, expectObject, readDimension } from './jsonValues';
import {
  COCO17_L_SHOULDER,
  COCO17_R_SHOULDER,
  COCO17_TO_OURS,
  FACE_L_PUPIL,
  FACE_R_PUPIL,
} from './layouts';
import { resolveFrames, type SourceFrame } from './sourceFrames';
import type { CanvasSize, ImportOptions, ImportResult } from './types';

/**
 * COCO person-keypoint annotations (17 points, `[x, y, v]` with v = 0 unlabelled, 1 labelled but
 * hidden, 2 visible; COCO-WholeBody annotations add `foot_kpts`, `face_kpts` (68, + the eyes as
 * pupils), `lefthand_kpts`, `righthand_kpts`, skipped when their `*_valid` flag is false) — ground truth files such as `person_keypoints_val2017.json` — and COCO
 * detection results (`[{ image_id, keypoints, score }]`). One frame per image, people in file
 * order. v = 2 → confidence 1, v = 1 → 0.5 (present but occluded); results keep their score.
 */

/** Whether a parsed JSON value is COCO keypoint annotations or results. */
export function looksLikeCocoKeypoints(value: unknown): boolean {
  const isAnn = (a: unknown): boolean =>
    isJsonObject(a) && Array.isArray(a.keypoints) && a.keypoints.length === 51;
  if (isJsonObject(value) && Array.isArray(value.annotations)) return true;
  return Array.isArray(value) && value.length > 0 && value.every(isAnn);
}

function readImageSizes(obj: JsonObject, file?: string): Map<unknown, CanvasSize> {
  const sizes = new Map<unknown, CanvasSize>();
  const images: [unknown, PathStep[]][] = [];
  if (Array.isArray(obj.images)) obj.images.forEach((im, i) => images.push([im, ['images', i]]));
  if (isJsonObject(obj.image)) images.push([obj.image, ['image']]);
  for (const [im, path] of images) {
    const o = expectObject(im, path, file);
    if (o.width === undefined || o.height === undefined) continue;
    sizes.set(o.id, {
      width: readDimension(o.width, [...path, 'width'], file),
      height: readDimension(o.height, [...path, 'height'], file),
    });
  }
  return sizes;
}

/** COCO-WholeBody annotations add these parts to the 17 body points (each `[x, y, v]` triples). */
const WHOLEBODY_PARTS = [
  { key: 'foot_kpts', valid: 'foot_valid', range: FEET, count: 6 },
  { key: 'face_kpts', valid: 'face_valid', range: FACE, count: 68 },
  { key: 'lefthand_kpts', valid: 'lefthand_valid', range: LEFT_HAND, count: 21 },
  { key: 'righthand_kpts', valid: 'righthand_valid', range: RIGHT_HAND, count: 21 },
] as const;

function readWholeBodyParts(
  ann: JsonObject,
  person: PersonPose,
  conf: (v: number) => number,
  path: PathStep[],
  sink: WarningSink,
): number {
  let present = 0;
  for (const part of WHOLEBODY_PARTS) {
    const raw = ann[part.key];
    if (raw === undefined || raw === null || ann[part.valid] === false) continue;
    const p = [...path, part.key];
    const list = expectArray(raw, p, sink.file);
    if (list.length !== part.count * 3)
      throw new PoseFormatError(
        `expected ${part.count * 3} numbers (${part.count} points × [x, y, v]), got ${list.length}`,
        p,
        sink.file,
      );
    const nums = list.map((n, i) => expectPointValue(n, [...p, i], sink.file, i, 3));
    const before = present;
    for (let k = 0; k < part.count; k++) {
      const c = conf(nums[k * 3 + 2]!);
      if (!(c > 0) || (nums[k * 3] === 0 && nums[k * 3 + 1] === 0)) continue;
      setPoint(person.points, part.range.start + k, nums[k * 3]!, nums[k * 3 + 1]!, c);
      present++;
    }
    if (part.range === FACE && present > before)
      for (const [pupil, eye] of [
        [FACE_R_PUPIL, Joint.rEye],
        [FACE_L_PUPIL, Joint.lEye],
      ] as const) {
        const o = eye * STRIDE;
        if (person.points[o + 2]! > 0)
          setPoint(
            person.points,
            pupil,
            person.points[o]!,
            person.points[o + 1]!,
            person.points[o + 2]!,
          );
      }
  }
  return present;
}

function convertAnnotation(
  ann: JsonObject,
  id: number,
  path: PathStep[],
  sink: WarningSink,
): PersonPose | null {
  const kp = expectArray(ann.keypoints, [...path, 'keypoints'], sink.file);
  if (kp.length !== 51)
    throw new PoseFormatError(
      `expected 51 numbers (17 COCO keypoints × [x, y, v]), got ${kp.length}`,
      [...path, 'keypoints'],
      sink.file,
    );
  const nums = kp.map((n, i) => expectPointValue(n, [...path, 'keypoints', i], sink.file, i, 3));
  const isResult = typeof ann.score === 'number';
  const conf = (v: number): number => (isResult ? v : v >= 2 ? 1 : v > 0 ? 0.5 : 0);
  const person = createPerson(id);
  let present = 0;
  for (let k = 0; k < 17; k++) {
    const c = conf(nums[k * 3 + 2]!);
    if (!(c > 0)) continue;
    setPoint(person.points, COCO17_TO_OURS[k]!, nums[k * 3]!, nums[k * 3 + 1]!, c);
    present++;
  }
  const l = COCO17_L_SHOULDER * 3;
  const r = COCO17_R_SHOULDER * 3;
  const cl = conf(nums[l + 2]!);
  const cr = conf(nums[r + 2]!);
  if (cl > 0 && cr > 0)
    setPoint(
      person.points,
      Joint.neck,
      (nums[l]! + nums[r]!) / 2,
      (nums[l + 1]! + nums[r + 1]!) / 2,
      Math.min(cl, cr),
    );
  present += readWholeBodyParts(ann, person, conf, path, sink);
  if (present === 0) {
    sink.add('dropped-person', path, 'annotation has no labelled keypoints; person dropped');
    return null;
  }
  return person;
}

export function importCocoKeypoints(value: unknown, options: ImportOptions = {}): ImportResult {
  const file = options.fileName;
  const sink = new WarningSink(file);
  const root = Array.isArray(value) ? undefined : expectObject(value, [], file);
  const sizes = root ? readImageSizes(root, file) : new Map<unknown, CanvasSize>();
  const anns = root
    ? expectArray(root.annotations, ['annotations'], file).map(
        (a, i) => [a, ['annotations', i]] as const,
      )
    : expectArray(value, [], file).map((a, i) => [a, [i]] as const);
  const byImage = new Map<unknown, SourceFrame>();
  for (const [raw, path] of anns) {
    const ann = expectObject(raw, [...path], file);
    if (!Array.isArray(ann.keypoints)) {
      sink.add('dropped-person', [...path], 'annotation has no keypoints (not a person); dropped');
      continue;
    }
    let frame = byImage.get(ann.image_id);
    if (!frame) {
      frame = { path: [...path], people: [] };
      const size =
        sizes.get(ann.image_id) ?? (sizes.size === 1 ? [...sizes.values()][0] : undefined);
      if (size) frame.canvas = size;
      byImage.set(ann.image_id, frame);
    }
    const person = convertAnnotation(ann, frame.people.length, [...path], sink);
    if (person) frame.people.push(person);
  }
  if (byImage.size === 0)
    throw new PoseFormatError('no person annotations', root ? ['annotations'] : [], file);
  // Frames in image order when the file lists images, else in order of first appearance.
  const order =
    root && Array.isArray(root.images)
      ? root.images
          .map((im) => (isJsonObject(im) ? im.id : undefined))
          .filter((id) => byImage.has(id))
      : [];
  const ids = [...order, ...[...byImage.keys()].filter((id) => !order.includes(id))];
  const frames = resolveFrames(
    ids.map((id) => byImage.get(id)!),
    options,
    sink,
  );
  return { frames, warnings: sink.list, format: 'coco-keypoints', firstFrame: 0 };
}
