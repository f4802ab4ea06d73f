import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, STRIDE, type PersonPose } from '#shared/pose/types';
import { PoseFormatError, WarningSink, type PathStep } from './errors';
import { isJsonObject } from '#shared/project/json';
import { describe, expectArray, expectCoordinate, expectObject, expectScore } from './jsonValues';
import { BLAZEPOSE33_TO_OURS, BLAZEPOSE_L_SHOULDER, BLAZEPOSE_R_SHOULDER } from './layouts';
import { resolveFrames, type SourceFrame } from './sourceFrames';
import type { ImportOptions, ImportResult } from './types';

/**
 * MediaPipe BlazePose: 33 landmarks `{ x, y, z, visibility }` with x, y normalized to the picture.
 *
 * Accepted shapes:
 *   one person:  `[33 landmarks]`, `{ landmark: [...] }` (Python protobuf as JSON)
 *   one frame:   `{ landmarks: [[33], …] }` (Tasks API result; also `pose_landmarks`/`poseLandmarks`)
 *   a video:     `[[33], [33], …]` (one person per frame) or `[{ landmarks: … }, …]`
 * A landmark whose visibility is below `minScore` (0.3) is missing; its visibility is kept as the
 * confidence otherwise. Eye corners, mouth and the pinky/index/thumb landmarks have no slot.
 */

const N = 33;
const DEFAULT_MIN_SCORE = 0.3;
const FRAME_KEYS = ['landmarks', 'pose_landmarks', 'poseLandmarks', 'landmark'] as const;

const isLandmark = (v: unknown): boolean =>
  isJsonObject(v) && typeof v.x === 'number' && typeof v.y === 'number';
const isLandmarkList = (v: unknown): v is unknown[] =>
  Array.isArray(v) && v.length === N && v.every(isLandmark);
const frameKey = (v: unknown): (typeof FRAME_KEYS)[number] | undefined =>
  isJsonObject(v) ? FRAME_KEYS.find((k) => Array.isArray(v[k])) : undefined;

/** Whether a parsed JSON value is MediaPipe pose landmarks in one of the accepted shapes. */
export function looksLikeMediaPipe(value: unknown): boolean {
  if (isLandmarkList(value) || frameKey(value)) return true;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((f) => isLandmarkList(f) || frameKey(f) !== undefined)
  );
}

function convertLandmarks(
  list: unknown[],
  id: number,
  minScore: number,
  path: PathStep[],
  sink: WarningSink,
): PersonPose | null {
  if (list.length !== N)
    throw new PoseFormatError(`expected ${N} pose landmarks, got ${list.length}`, path, sink.file);
  const person = createPerson(id);
  const xs: number[] = [];
  const ys: number[] = [];
  const vis: number[] = [];
  list.forEach((raw, i) => {
    const p = [...path, i];
    const lm = expectObject(raw, p, sink.file);
    xs.push(expectCoordinate(lm.x, [...p, 'x'], sink.file));
    ys.push(expectCoordinate(lm.y, [...p, 'y'], sink.file));
    const v = lm.visibility ?? lm.presence;
    vis.push(v === undefined ? 1 : expectScore(v, [...p, 'visibility'], sink.file));
  });
  let dropped = 0;
  for (let k = 0; k < N; k++) {
    const target = BLAZEPOSE33_TO_OURS[k]!;
    if (target < 0) continue;
    if (!(vis[k]! >= minScore)) {
      dropped++;
      continue;
    }
    setPoint(person.points, target, xs[k]!, ys[k]!, vis[k]!);
  }
  const l = BLAZEPOSE_L_SHOULDER;
  const r = BLAZEPOSE_R_SHOULDER;
  if (vis[l]! >= minScore && vis[r]! >= minScore)
    setPoint(
      person.points,
      Joint.neck,
      (xs[l]! + xs[r]!) / 2,
      (ys[l]! + ys[r]!) / 2,
      Math.min(vis[l]!, vis[r]!),
    );
  sink.once(
    'unmapped',
    'dropped-data',
    path,
    'BlazePose eye corners, mouth and pinky/index/thumb landmarks have no slot in the 136-point skeleton and are dropped',
  );
  if (dropped > 0)
    sink.add(
      'dropped-point',
      path,
      `${dropped} landmark${dropped === 1 ? '' : 's'} with visibility below ${minScore} treated as missing`,
    );
  let present = 0;
  for (let i = 2; i < person.points.length; i += STRIDE) if (person.points[i]! > 0) present++;
  if (present === 0) {
    sink.add('dropped-person', path, 'no landmark is visible enough; person dropped');
    return null;
  }
  return person;
}

/** People of one frame: a bare 33-list is one person; `landmarks` may hold one list or several. */
function frameLists(v: unknown, path: PathStep[], file?: string): [unknown[], PathStep[]][] {
  if (isLandmarkList(v)) return [[v, path]];
  const key = frameKey(v);
  if (!key || !isJsonObject(v))
    throw new PoseFormatError(
      `expected ${N} landmarks or { landmarks: [...] }, got ${describe(v)}`,
      path,
      file,
    );
  const inner = expectArray(v[key], [...path, key], file);
  if (inner.length === N && inner.every(isLandmark)) return [[inner, [...path, key]]];
  return inner.map((p, i) => [expectArray(p, [...path, key, i], file), [...path, key, i]]);
}

export function importMediaPipe(value: unknown, options: ImportOptions = {}): ImportResult {
  const sink = new WarningSink(options.fileName);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const single = isLandmarkList(value) || frameKey(value) !== undefined;
  const rawFrames: { v: unknown; path: PathStep[] }[] = single
    ? [{ v: value, path: [] }]
    : expectArray(value, [], options.fileName).map((v, i) => ({ v, path: [i] }));
  const source: SourceFrame[] = rawFrames.map(({ v, path }) => ({
    path,
    people: frameLists(v, path, options.fileName).flatMap(([list, p], i) => {
      const person = convertLandmarks(list, i, minScore, p, sink);
      return person ? [person] : [];
    }),
  }));
  const frames = resolveFrames(source, options, sink, true);
  return { frames, warnings: sink.list, format: 'mediapipe', firstFrame: 0 };
}
