import {
  BODY_COUNT,
  FACE,
  FEET,
  LEFT_HAND,
  RIGHT_HAND,
  type PointRange,
} from '#shared/pose/skeleton';
import { createPerson, setPoint, STRIDE, type PersonPose } from '#shared/pose/types';
import { PoseFormatError, WarningSink, type PathStep } from './errors';
import { type JsonObject } from '#shared/project/json';
import { describe, expectArray, expectObject, readDimension, readTriples } from './jsonValues';
import { BODY25_TO_OURS, FACE_L_PUPIL, FACE_R_PUPIL } from './layouts';
import { resolveFrames, type SourceFrame } from './sourceFrames';
import type { CanvasSize, ImportOptions, ImportResult } from './types';

/**
 * ControlNet / OpenPose JSON (`{ people: [...], canvas_width, canvas_height }`), the CMU per-frame
 * dialect (`version`, `person_id`, no canvas) and ComfyUI's POSE_KEYPOINT list of such objects.
 */

const PART_KEYS = {
  body: 'pose_keypoints_2d',
  feet: 'foot_keypoints_2d',
  face: 'face_keypoints_2d',
  leftHand: 'hand_left_keypoints_2d',
  rightHand: 'hand_right_keypoints_2d',
} as const;

const IGNORED_3D_KEYS = [
  'pose_keypoints_3d',
  'face_keypoints_3d',
  'hand_left_keypoints_3d',
  'hand_right_keypoints_3d',
];

/** True when the value looks like one ControlNet/OpenPose frame (used by format detection). */
export function looksLikeControlNetFrame(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as JsonObject).people)
  );
}

/**
 * Copies triples into `person` at `targets[k]` for source point k. Present = confidence > 0 and
 * not exactly (0, 0): OpenPose writes missing points as zeros, and some writers keep c > 0 there.
 * Returns how many points were present.
 */
function copyPoints(
  flat: number[],
  targets: readonly number[],
  person: PersonPose,
  path: PathStep[],
  sink: WarningSink,
): number {
  let present = 0;
  let zeroPoints = 0;
  for (let k = 0; k < flat.length / 3; k++) {
    const x = flat[k * 3]!;
    const y = flat[k * 3 + 1]!;
    const c = flat[k * 3 + 2]!;
    const target = targets[k]!;
    if (!(c > 0)) continue;
    if (x === 0 && y === 0) {
      zeroPoints++;
      continue;
    }
    if (target < 0) continue;
    setPoint(person.points, target, x, y, c);
    present++;
  }
  if (zeroPoints > 0)
    sink.add(
      'dropped-point',
      path,
      `${zeroPoints} point${zeroPoints === 1 ? '' : 's'} at (0, 0) with confidence > 0 treated as missing`,
    );
  return present;
}

const rangeTargets = (range: PointRange, count = range.count): number[] =>
  Array.from({ length: count }, (_, i) => range.start + i);

function readBody(flat: number[], person: PersonPose, path: PathStep[], sink: WarningSink): void {
  const points = flat.length / 3;
  if (points === BODY_COUNT) {
    copyPoints(flat, rangeTargets({ start: 0, count: BODY_COUNT }), person, path, sink);
  } else if (points === 25) {
    copyPoints(flat, BODY25_TO_OURS, person, path, sink);
    if (flat[8 * 3 + 2]! > 0)
      sink.once(
        'midhip',
        'dropped-point',
        path,
        'BODY_25 body: MidHip (point 8) has no slot in the COCO-18 body and is dropped; feet 19–24 kept',
      );
  } else {
    throw new PoseFormatError(
      `has ${points} points; expected 18 (COCO-18, 54 numbers) or 25 (BODY_25, 75 numbers)`,
      path,
      sink.file,
    );
  }
}

function readPart(
  flat: number[],
  range: PointRange,
  person: PersonPose,
  path: PathStep[],
  sink: WarningSink,
): void {
  const points = flat.length / 3;
  if (range === FACE && points === 68) {
    copyPoints(flat, rangeTargets(FACE, 68), person, path, sink);
    // 68-point faces (DWPose JSON) lack the pupils; the body's eyes stand in, as DWPose does.
    for (const [pupil, eye] of [
      [FACE_R_PUPIL, 14],
      [FACE_L_PUPIL, 15],
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
    return;
  }
  if (points !== range.count)
    throw new PoseFormatError(
      `has ${points} points; expected ${range.count}${range === FACE ? ' (or 68)' : ''}`,
      path,
      sink.file,
    );
  copyPoints(flat, rangeTargets(range), person, path, sink);
}

/** OpenPose 1.3 writes `person_id: [-1]` (untracked); trackers write a number. */
function readPersonId(value: unknown): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function readPerson(
  raw: unknown,
  path: PathStep[],
  sink: WarningSink,
  index: number,
): PersonPose | null {
  const obj = expectObject(raw, path, sink.file);
  const person = createPerson(readPersonId(obj.person_id) ?? index);
  const body = readTriples(obj[PART_KEYS.body], [...path, PART_KEYS.body], sink.file);
  if (body) readBody(body, person, [...path, PART_KEYS.body], sink);
  const parts: [keyof typeof PART_KEYS, PointRange][] = [
    ['feet', FEET],
    ['face', FACE],
    ['leftHand', LEFT_HAND],
    ['rightHand', RIGHT_HAND],
  ];
  for (const [name, range] of parts) {
    const key = PART_KEYS[name];
    const flat = readTriples(obj[key], [...path, key], sink.file);
    if (flat) readPart(flat, range, person, [...path, key], sink);
  }
  for (const key of IGNORED_3D_KEYS) {
    const v = obj[key];
    if (Array.isArray(v) && v.length > 0)
      sink.once('3d', 'dropped-data', [...path, key], '3D keypoints are not used (2D only)');
  }
  let present = 0;
  for (let i = 2; i < person.points.length; i += STRIDE) if (person.points[i]! > 0) present++;
  if (present === 0) {
    sink.add('dropped-person', path, 'person has no present points and is dropped');
    return null;
  }
  return person;
}

function readCanvas(obj: JsonObject, path: PathStep[], sink: WarningSink): CanvasSize | undefined {
  const w = obj.canvas_width;
  const h = obj.canvas_height;
  if (w === undefined && h === undefined) return undefined;
  if (w === undefined || h === undefined || w === null || h === null) {
    sink.add(
      'canvas-ignored',
      path,
      `only one of canvas_width / canvas_height is given (${describe(w)} × ${describe(h)}); the canvas is treated as missing`,
    );
    return undefined;
  }
  return {
    width: readDimension(w, [...path, 'canvas_width'], sink.file),
    height: readDimension(h, [...path, 'canvas_height'], sink.file),
  };
}

/** Reads one ControlNet/OpenPose object into a source frame (coordinates not yet resolved). */
export function readControlNetFrame(
  value: unknown,
  path: PathStep[],
  sink: WarningSink,
): SourceFrame {
  const obj = expectObject(value, path, sink.file);
  if (!('people' in obj))
    throw new PoseFormatError('missing "people" (not a ControlNet/OpenPose pose)', path, sink.file);
  const people = expectArray(obj.people, [...path, 'people'], sink.file);
  const frame: SourceFrame = { people: [], path, ...(sink.file ? { file: sink.file } : {}) };
  const canvas = readCanvas(obj, path, sink);
  if (canvas) frame.canvas = canvas;
  const usedIds = new Set<number>();
  people.forEach((raw, i) => {
    const person = readPerson(raw, [...path, 'people', i], sink, i);
    if (!person) return;
    if (usedIds.has(person.id)) {
      const fresh = Math.max(...usedIds, people.length - 1) + 1;
      sink.add(
        'dropped-data',
        [...path, 'people', i, 'person_id'],
        `person_id ${person.id} repeats; renumbered ${fresh}`,
      );
      person.id = fresh;
    }
    usedIds.add(person.id);
    frame.people.push(person);
  });
  if (obj.animals !== undefined && obj.animals !== null) {
    const animals = expectArray(obj.animals, [...path, 'animals'], sink.file);
    if (animals.length > 0)
      sink.add(
        'dropped-data',
        [...path, 'animals'],
        `${animals.length} animal pose${animals.length === 1 ? '' : 's'} dropped (animal skeletons are not supported)`,
      );
  }
  return frame;
}

/** A single ControlNet / OpenPose JSON object. */
export function importControlNet(value: unknown, options: ImportOptions = {}): ImportResult {
  const sink = new WarningSink(options.fileName);
  const frame = readControlNetFrame(value, [], sink);
  const frames = resolveFrames([frame], options, sink);
  return { frames, warnings: sink.list, format: 'controlnet', firstFrame: 0 };
}

/** ComfyUI POSE_KEYPOINT: a list with one ControlNet object per frame. */
export function importComfyUi(value: unknown, options: ImportOptions = {}): ImportResult {
  const sink = new WarningSink(options.fileName);
  const list = expectArray(value, [], options.fileName);
  if (list.length === 0)
    throw new PoseFormatError('the POSE_KEYPOINT list is empty', [], options.fileName);
  const source = list.map((item, i) => readControlNetFrame(item, [i], sink));
  const frames = resolveFrames(source, options, sink);
  return { frames, warnings: sink.list, format: 'comfyui', firstFrame: 0 };
}
