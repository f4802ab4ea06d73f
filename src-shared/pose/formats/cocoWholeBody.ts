import { createPerson, setPoint, STRIDE, type PersonPose } from '#shared/pose/types';
import { Joint } from '#shared/pose/skeleton';
import { PoseFormatError, WarningSink, type PathStep } from './errors';
import { isJsonObject, type JsonObject } from '#shared/project/json';
import {
  describe,
  expectArray,
  expectCoordinate,
  expectPointValue,
  expectScore,
} from './jsonValues';
import {
  COCO17_L_EYE,
  COCO17_L_SHOULDER,
  COCO17_R_EYE,
  COCO17_R_SHOULDER,
  FACE_L_PUPIL,
  FACE_R_PUPIL,
  WHOLEBODY133_TO_OURS,
} from './layouts';
import { resolveFrames, type SourceFrame } from './sourceFrames';
import type { ImportOptions, ImportResult } from './types';

/**
 * COCO-WholeBody 133-point arrays, as DWPose and mmpose produce them, converted the way DWPose
 * converts to OpenPose: score < 0.3 → missing, neck = mean of the shoulders when both score > 0.3,
 * the 68-point face + the two eyes as pupils = 70.
 *
 * Accepted shapes (pixels or normalized):
 *   person:  `[133][3]`, `[133][2]`, flat 399 numbers, `{ keypoints, keypoint_scores | scores }`
 *   frame:   `[people][133][3]`, `{ keypoints: [people][133][2], scores: [people][133] }`,
 *            `[{ keypoints, keypoint_scores }, …]` (mmpose instances), `{ instance_info: [...] }`
 *   video:   `[frames][people][133][3]`, `[{ frame_id, instances: [...] }, …]` (mmpose)
 */

const N = 133;
const DEFAULT_MIN_SCORE = 0.3;

interface RawPerson {
  xy: number[]; // 266
  scores: number[]; // 133
}

function isNumberArray(v: unknown, length?: number): v is number[] {
  return (
    Array.isArray(v) &&
    (length === undefined || v.length === length) &&
    v.every((n) => typeof n === 'number')
  );
}

/** `[133][2|3]` of numbers. */
function isPointList(v: unknown): v is number[][] {
  return (
    Array.isArray(v) &&
    v.length === N &&
    v.every((p) => Array.isArray(p) && (p.length === 2 || p.length === 3))
  );
}

function isPersonShape(v: unknown): boolean {
  if (isNumberArray(v, N * 3) || isPointList(v)) return true;
  if (!isJsonObject(v)) return false;
  const k = v.keypoints;
  return isPointList(k) || isNumberArray(k, N * 3) || isNumberArray(k, N * 2);
}

function isFrameShape(v: unknown): boolean {
  if (isJsonObject(v) && Array.isArray(v.instance_info)) return true;
  if (
    isJsonObject(v) &&
    Array.isArray(v.keypoints) &&
    v.keypoints.length > 0 &&
    isPointList(v.keypoints[0])
  )
    return true;
  return Array.isArray(v) && v.length > 0 && v.every(isPersonShape);
}

function isVideoShape(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (f) =>
        (isJsonObject(f) && Array.isArray(f.instances)) ||
        (Array.isArray(f) && (f.length === 0 || isFrameShape(f))),
    )
  );
}

/** Whether a parsed JSON value is COCO-WholeBody 133 data in one of the accepted shapes. */
export function looksLikeWholeBody(value: unknown): boolean {
  return isPersonShape(value) || isFrameShape(value) || isVideoShape(value);
}

function readPointList(list: unknown[], path: PathStep[], file?: string): RawPerson {
  const xy: number[] = [];
  const scores: number[] = [];
  list.forEach((p, i) => {
    const pt = expectArray(p, [...path, i], file);
    if (pt.length !== 2 && pt.length !== 3)
      throw new PoseFormatError(
        `expected [x, y] or [x, y, score], got ${describe(pt)}`,
        [...path, i],
        file,
      );
    xy.push(
      expectCoordinate(pt[0], [...path, i, 0], file),
      expectCoordinate(pt[1], [...path, i, 1], file),
    );
    scores.push(pt.length === 3 ? expectScore(pt[2], [...path, i, 2], file) : 1);
  });
  return { xy, scores };
}

function readScores(v: unknown, path: PathStep[], file?: string): number[] {
  const list = expectArray(v, path, file);
  if (list.length !== N)
    throw new PoseFormatError(`expected ${N} scores, got ${list.length}`, path, file);
  return list.map((s, i) => expectScore(s, [...path, i], file));
}

function readRawPerson(v: unknown, path: PathStep[], file?: string): RawPerson {
  if (Array.isArray(v) && v.length === N * 3 && !Array.isArray(v[0])) {
    const nums = v.map((n, i) => expectPointValue(n, [...path, i], file, i, 3));
    return {
      xy: nums.flatMap((_, i) => (i % 3 === 2 ? [] : [nums[i]!])),
      scores: nums.filter((_, i) => i % 3 === 2),
    };
  }
  if (Array.isArray(v)) {
    if (v.length !== N)
      throw new PoseFormatError(`expected ${N} keypoints, got ${v.length}`, path, file);
    return readPointList(v, path, file);
  }
  if (!isJsonObject(v))
    throw new PoseFormatError(`expected a person's ${N} keypoints, got ${describe(v)}`, path, file);
  const obj: JsonObject = v;
  const kp = expectArray(obj.keypoints, [...path, 'keypoints'], file);
  let person: RawPerson;
  if (kp.length === N) person = readPointList(kp, [...path, 'keypoints'], file);
  else if (kp.length === N * 2 || kp.length === N * 3) {
    const stride = kp.length / N;
    const nums = kp.map((n, i) =>
      expectPointValue(n, [...path, 'keypoints', i], file, i, stride as 2 | 3),
    );
    person = {
      xy: Array.from({ length: N * 2 }, (_, i) => nums[Math.floor(i / 2) * stride + (i % 2)]!),
      scores: Array.from({ length: N }, (_, i) => (stride === 3 ? nums[i * 3 + 2]! : 1)),
    };
  } else
    throw new PoseFormatError(
      `expected ${N} keypoints, got ${kp.length} entries`,
      [...path, 'keypoints'],
      file,
    );
  const scoreKey =
    'keypoint_scores' in obj ? 'keypoint_scores' : 'scores' in obj ? 'scores' : undefined;
  if (scoreKey) person.scores = readScores(obj[scoreKey], [...path, scoreKey], file);
  return person;
}

function readRawFrame(v: unknown, path: PathStep[], file?: string): RawPerson[] {
  if (isJsonObject(v) && Array.isArray(v.instance_info))
    return v.instance_info.map((p, i) => readRawPerson(p, [...path, 'instance_info', i], file));
  if (isJsonObject(v) && Array.isArray(v.keypoints) && isPointList(v.keypoints[0])) {
    // Batched DWPose output: keypoints [people][133][2], scores [people][133].
    const scores =
      v.scores === undefined ? undefined : expectArray(v.scores, [...path, 'scores'], file);
    return v.keypoints.map((kp, i) => {
      const person = readPointList(
        expectArray(kp, [...path, 'keypoints', i], file),
        [...path, 'keypoints', i],
        file,
      );
      if (scores) person.scores = readScores(scores[i], [...path, 'scores', i], file);
      return person;
    });
  }
  return expectArray(v, path, file).map((p, i) => readRawPerson(p, [...path, i], file));
}

/** Converts one 133-point person; returns null (and warns) when nothing scores high enough. */
function convertPerson(
  raw: RawPerson,
  id: number,
  minScore: number,
  path: PathStep[],
  sink: WarningSink,
): PersonPose | null {
  const person = createPerson(id);
  let dropped = 0;
  for (let k = 0; k < N; k++) {
    const s = raw.scores[k]!;
    if (!(s >= minScore)) {
      if (s > 0) dropped++;
      continue;
    }
    setPoint(person.points, WHOLEBODY133_TO_OURS[k]!, raw.xy[k * 2]!, raw.xy[k * 2 + 1]!, s);
  }
  const ls = raw.scores[COCO17_L_SHOULDER]!;
  const rs = raw.scores[COCO17_R_SHOULDER]!;
  if (ls > minScore && rs > minScore) {
    const x = (raw.xy[COCO17_L_SHOULDER * 2]! + raw.xy[COCO17_R_SHOULDER * 2]!) / 2;
    const y = (raw.xy[COCO17_L_SHOULDER * 2 + 1]! + raw.xy[COCO17_R_SHOULDER * 2 + 1]!) / 2;
    setPoint(person.points, Joint.neck, x, y, Math.min(ls, rs));
  }
  for (const [pupil, eye] of [
    [FACE_R_PUPIL, COCO17_R_EYE],
    [FACE_L_PUPIL, COCO17_L_EYE],
  ] as const) {
    const s = raw.scores[eye]!;
    if (s >= minScore) setPoint(person.points, pupil, raw.xy[eye * 2]!, raw.xy[eye * 2 + 1]!, s);
  }
  if (dropped > 0)
    sink.add(
      'dropped-point',
      path,
      `${dropped} point${dropped === 1 ? '' : 's'} scoring below ${minScore} treated as missing`,
    );
  let present = 0;
  for (let i = 2; i < person.points.length; i += STRIDE) if (person.points[i]! > 0) present++;
  if (present === 0) {
    sink.add('dropped-person', path, `no point scores ${minScore} or more; person dropped`);
    return null;
  }
  return person;
}

export function importCocoWholeBody(value: unknown, options: ImportOptions = {}): ImportResult {
  const file = options.fileName;
  const sink = new WarningSink(file);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  let rawFrames: { people: RawPerson[]; path: PathStep[] }[];
  if (isPersonShape(value) && !isFrameShape(value))
    rawFrames = [{ people: [readRawPerson(value, [], file)], path: [] }];
  else if (isFrameShape(value) && !isVideoShape(value))
    rawFrames = [{ people: readRawFrame(value, [], file), path: [] }];
  else if (isVideoShape(value))
    rawFrames = expectArray(value, [], file).map((f, i) =>
      isJsonObject(f)
        ? {
            people: expectArray(f.instances, [i, 'instances'], file).map((p, k) =>
              readRawPerson(p, [i, 'instances', k], file),
            ),
            path: [i],
          }
        : { people: readRawFrame(f, [i], file), path: [i] },
    );
  else
    throw new PoseFormatError(
      `not COCO-WholeBody data: expected ${N} keypoints per person ([${N}][3], ${N * 3} numbers or { keypoints, keypoint_scores })`,
      [],
      file,
    );
  const source: SourceFrame[] = rawFrames.map((f) => ({
    path: f.path,
    people: f.people.flatMap((p, i) => {
      const person = convertPerson(p, i, minScore, [...f.path, i], sink);
      return person ? [person] : [];
    }),
  }));
  const frames = resolveFrames(source, options, sink);
  return { frames, warnings: sink.list, format: 'coco-wholebody', firstFrame: 0 };
}
