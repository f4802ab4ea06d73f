import { isJsonObject, type JsonObject } from '#shared/project/json';
import { PoseFormatError, type PathStep } from './errors';
import { describe, expectArray, expectCoordinate, expectNumber, expectScore } from './jsonValues';
import { importComfyUi, importControlNet } from './controlnet';
import type { ImportOptions, ImportResult } from './types';

/**
 * DWPose's own pose dict, as its `draw_pose` takes it and tools save it with `.tolist()`:
 *
 *   original DWPose, controlnet_aux:  `{ bodies: { candidate: [M][2], subset: [N][18] },
 *                                        hands: [2N][21][2], faces: [N][68][2] }`
 *   easy_dwpose, MimicMotion, MusePose: `{ bodies: [N·18][2], body_scores: [N][18],
 *                                        hands, hands_scores: [2N][21], faces, faces_scores }`
 *
 * and a list of them for a video. The body is OpenPose's 18 points (DWPose inserts the neck); an
 * entry of `subset` / `body_scores` is the index of the person's point among the candidates, −1
 * where DWPose did not see it (a score from 0 to 1 in place of an index is read as a score). The
 * first N hands are the people's left hands, the next N their right ones. Coordinates are
 * normalized to the detection picture; a point DWPose did not see is −1 (its drawing skips
 * anything under 0.01), or scores under 0.3. Each frame becomes a ControlNet frame (18-point body,
 * 68-point face, hands) read by the ControlNet importer, which owns the canvas rules.
 */

const BODY = 18;
const HAND = 21;
const FACE = 68;
/** DWPose's own cut-offs: its drawing skips points at or under 0.01, its detector scores under 0.3. */
const SEEN = 0.01;
const MIN_SCORE = 0.3;

type Triples = number[];

function isDwposeFrame(v: unknown): v is JsonObject {
  if (!isJsonObject(v)) return false;
  const b = v.bodies;
  if (Array.isArray(b)) return Array.isArray(v.body_scores);
  return isJsonObject(b) && Array.isArray(b.candidate) && Array.isArray(b.subset);
}

/** Whether a parsed JSON value is a DWPose pose dict, or a non-empty list of them. */
export function looksLikeDwposeDict(value: unknown): boolean {
  return (
    isDwposeFrame(value) || (Array.isArray(value) && value.length > 0 && value.every(isDwposeFrame))
  );
}

/** One [x, y] point (more numbers allowed, ignored); missing (null) when DWPose did not see it. */
function readXY(value: unknown, path: PathStep[], file?: string): [number, number] | null {
  const p = expectArray(value, path, file);
  if (p.length < 2) throw new PoseFormatError(`expected [x, y], got ${describe(p)}`, path, file);
  const x = expectCoordinate(p[0], [...path, 0], file);
  const y = expectCoordinate(p[1], [...path, 1], file);
  return x > SEEN && y > SEEN ? [x, y] : null;
}

/** A list of `count` points as triples, each scored by `scores` (or 1 where seen). */
function readPoints(
  value: unknown,
  scores: unknown,
  count: number,
  path: PathStep[],
  scorePath: PathStep[],
  file?: string,
): Triples {
  const pts = expectArray(value, path, file);
  if (pts.length !== count)
    throw new PoseFormatError(`expected ${count} points, got ${pts.length}`, path, file);
  const s = scores === undefined ? undefined : expectArray(scores, scorePath, file);
  if (s && s.length !== count)
    throw new PoseFormatError(`expected ${count} scores, got ${s.length}`, scorePath, file);
  const out: Triples = [];
  pts.forEach((p, k) => {
    const xy = readXY(p, [...path, k], file);
    const score = s ? expectScore(s[k], [...scorePath, k], file) : 1;
    if (xy && score >= MIN_SCORE) out.push(xy[0], xy[1], score);
    else out.push(0, 0, 0);
  });
  return out;
}

/** The rows' entries, checked to be numbers; `indices`: all whole (else they are scores). */
function readRows(rows: unknown[], path: PathStep[], file?: string) {
  const entries = rows.map((row, i) => {
    const r = expectArray(row, [...path, i], file);
    if (r.length < BODY)
      throw new PoseFormatError(`expected ${BODY} entries, got ${r.length}`, [...path, i], file);
    return r.slice(0, BODY).map((e, j) => expectNumber(e, [...path, i, j], file));
  });
  return { entries, indices: entries.every((r) => r.every(Number.isInteger)) };
}

/**
 * Person i's body: entry j is the index of its point among the candidates (−1: not seen) or,
 * when the entries are not all whole numbers, the score of candidate 18·i + j.
 */
function readBody(
  candidates: unknown[],
  entries: number[],
  indices: boolean,
  i: number,
  path: { candidates: PathStep[]; row: PathStep[] },
  file?: string,
): Triples {
  const out: Triples = [];
  for (let j = 0; j < BODY; j++) {
    const e = entries[j]!;
    const index = indices ? e : e >= MIN_SCORE ? BODY * i + j : -1;
    if (index < 0) {
      out.push(0, 0, 0);
      continue;
    }
    if (index >= candidates.length)
      throw new PoseFormatError(
        `point index ${index} is past the ${candidates.length} candidates`,
        [...path.row, j],
        file,
      );
    const xy = readXY(candidates[index], [...path.candidates, index], file);
    if (xy) out.push(xy[0], xy[1], indices ? 1 : e);
    else out.push(0, 0, 0);
  }
  return out;
}

/** One DWPose dict as a ControlNet frame (`{ people: [...] }`). */
function toControlNetFrame(v: JsonObject, path: PathStep[], file?: string): JsonObject {
  const nested = isJsonObject(v.bodies);
  const bodies = v.bodies as JsonObject | unknown[];
  const candidatesPath = nested ? [...path, 'bodies', 'candidate'] : [...path, 'bodies'];
  const rowsPath = nested ? [...path, 'bodies', 'subset'] : [...path, 'body_scores'];
  const candidates = expectArray(
    nested ? (bodies as JsonObject).candidate : bodies,
    candidatesPath,
    file,
  );
  const rows = readRows(
    expectArray(nested ? (bodies as JsonObject).subset : v.body_scores, rowsPath, file),
    rowsPath,
    file,
  );
  const n = rows.entries.length;
  const hands = v.hands === undefined ? [] : expectArray(v.hands, [...path, 'hands'], file);
  if (hands.length !== 0 && hands.length !== 2 * n)
    throw new PoseFormatError(
      `expected ${2 * n} hands (a left and a right for each of ${n} people), got ${hands.length}`,
      [...path, 'hands'],
      file,
    );
  const faces = v.faces === undefined ? [] : expectArray(v.faces, [...path, 'faces'], file);
  if (faces.length !== 0 && faces.length !== n)
    throw new PoseFormatError(
      `expected ${n} faces (one for each person), got ${faces.length}`,
      [...path, 'faces'],
      file,
    );
  // Entry k of `faces` or `hands` as triples, scored by entry k of its `_scores` list if any.
  const part = (key: 'faces' | 'hands', list: unknown[], k: number, count: number) => {
    const scoresKey = `${key}_scores`;
    const scores =
      v[scoresKey] === undefined
        ? undefined
        : expectArray(v[scoresKey], [...path, scoresKey], file)[k];
    return readPoints(list[k], scores, count, [...path, key, k], [...path, scoresKey, k], file);
  };
  const people = rows.entries.map((row, i) => {
    const person: JsonObject = {
      pose_keypoints_2d: readBody(
        candidates,
        row,
        rows.indices,
        i,
        { candidates: candidatesPath, row: [...rowsPath, i] },
        file,
      ),
    };
    if (faces.length) person.face_keypoints_2d = part('faces', faces, i, FACE);
    if (hands.length) {
      person.hand_left_keypoints_2d = part('hands', hands, i, HAND);
      person.hand_right_keypoints_2d = part('hands', hands, n + i, HAND);
    }
    return person;
  });
  return { people };
}

export function importDwposeDict(value: unknown, options: ImportOptions = {}): ImportResult {
  const file = options.fileName;
  if (isDwposeFrame(value))
    return { ...importControlNet(toControlNetFrame(value, [], file), options), format: 'dwpose' };
  const list = expectArray(value, [], file);
  if (list.length === 0 || !list.every(isDwposeFrame))
    throw new PoseFormatError(
      'not a DWPose pose dict: expected { bodies, body_scores, hands, faces } or { bodies: { candidate, subset }, hands, faces }',
      [],
      file,
    );
  const frames = list.map((f, i) => toControlNetFrame(f as JsonObject, [i], file));
  return { ...importComfyUi(frames, options), format: 'dwpose' };
}
