import {
  COORDINATE_MARGIN,
  MAX_CANVAS_SIDE,
  MAX_CONFIDENCE,
  coordinateRange,
} from '#shared/project/limits';
import { isJsonObject, type JsonObject } from '#shared/project/json';
import { PoseFormatError, type PathStep } from './errors';

/** Small readers over parsed JSON (`unknown`) that fail with a PoseFormatError naming the path. */

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function expectObject(value: unknown, path: PathStep[], file?: string): JsonObject {
  if (!isJsonObject(value))
    throw new PoseFormatError(`expected an object, got ${describe(value)}`, path, file);
  return value;
}

export function expectArray(value: unknown, path: PathStep[], file?: string): unknown[] {
  if (!Array.isArray(value))
    throw new PoseFormatError(`expected an array, got ${describe(value)}`, path, file);
  return value;
}

export function expectNumber(value: unknown, path: PathStep[], file?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new PoseFormatError(`expected a number, got ${describe(value)}`, path, file);
  return value;
}

/**
 * Largest |coordinate| a pose file may hold: pixel coordinates lie within COORDINATE_MARGIN
 * canvases of the largest canvas; normalized ones within ±2. Anything larger (1e308) would turn
 * into Infinity when scaled, and `JSON.stringify` writes that as `null`.
 */
const MAX_ABS_COORDINATE = coordinateRange(MAX_CANVAS_SIDE).max;

/** An x or y of a keypoint: a finite number no further out than MAX_ABS_COORDINATE. */
export function expectCoordinate(value: unknown, path: PathStep[], file?: string): number {
  const n = expectNumber(value, path, file);
  if (Math.abs(n) > MAX_ABS_COORDINATE)
    throw new PoseFormatError(
      `coordinate ${n} is out of range: must be from -${MAX_ABS_COORDINATE} to ${MAX_ABS_COORDINATE} (pixels up to ${COORDINATE_MARGIN} canvases beyond a ${MAX_CANVAS_SIDE}-pixel canvas)`,
      path,
      file,
    );
  return n;
}

/** A keypoint's confidence / score / visibility. */
export function expectScore(value: unknown, path: PathStep[], file?: string): number {
  const n = expectNumber(value, path, file);
  if (Math.abs(n) > MAX_CONFIDENCE)
    throw new PoseFormatError(
      `score ${n} is out of range: must be from -${MAX_CONFIDENCE} to ${MAX_CONFIDENCE}`,
      path,
      file,
    );
  return n;
}

/** Element `index` of a flat keypoint list of `stride` numbers per point (x, y[, score]). */
export function expectPointValue(
  value: unknown,
  path: PathStep[],
  file: string | undefined,
  index: number,
  stride: 2 | 3,
): number {
  return index % stride === 2
    ? expectScore(value, path, file)
    : expectCoordinate(value, path, file);
}

/**
 * Reads a keypoint list as flat `[x, y, c, …]`: accepts the flat form every tool writes and the
 * nested `[[x, y, c], …]` form some ComfyUI nodes write. `null`, absent and `[]` mean "no part".
 */
export function readTriples(value: unknown, path: PathStep[], file?: string): number[] | null {
  if (value === undefined || value === null) return null;
  const list = expectArray(value, path, file);
  if (list.length === 0) return null;
  if (Array.isArray(list[0])) {
    const flat: number[] = [];
    list.forEach((entry, i) => {
      const triple = expectArray(entry, [...path, i], file);
      if (triple.length !== 3)
        throw new PoseFormatError(
          `expected [x, y, confidence], got an array of ${triple.length}`,
          [...path, i],
          file,
        );
      triple.forEach((n, k) => flat.push(expectPointValue(n, [...path, i, k], file, k, 3)));
    });
    return flat;
  }
  // Hot path (long videos): check with a plain loop, build the error path only on failure.
  const flat = new Array<number>(list.length);
  const limit = (i: number): number => (i % 3 === 2 ? MAX_CONFIDENCE : MAX_ABS_COORDINATE);
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    if (typeof n !== 'number' || !(Math.abs(n) <= limit(i)))
      expectPointValue(n, [...path, i], file, i, 3);
    flat[i] = n as number;
  }
  if (flat.length % 3 !== 0)
    throw new PoseFormatError(
      `has ${flat.length} numbers, not a multiple of 3 (x, y, confidence per point)`,
      path,
      file,
    );
  return flat;
}

/** A canvas dimension: a whole number of pixels between 1 and MAX_CANVAS_SIDE. */
export function readDimension(value: unknown, path: PathStep[], file?: string): number {
  const n = expectNumber(value, path, file);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CANVAS_SIDE)
    throw new PoseFormatError(
      `must be a whole number of pixels from 1 to ${MAX_CANVAS_SIDE}, got ${n}`,
      path,
      file,
    );
  return n;
}
