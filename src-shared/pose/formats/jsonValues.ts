import { PoseFormatError, type PathStep } from './errors';

/** Small readers over parsed JSON (`unknown`) that fail with a PoseFormatError naming the path. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function expectObject(value: unknown, path: PathStep[], file?: string): JsonObject {
  if (!isObject(value))
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
      triple.forEach((n, k) => flat.push(expectNumber(n, [...path, i, k], file)));
    });
    return flat;
  }
  // Hot path (long videos): check with a plain loop, build the error path only on failure.
  const flat = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) expectNumber(n, [...path, i], file);
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

/** A canvas dimension: a whole number of pixels between 1 and 16384. */
export function readDimension(value: unknown, path: PathStep[], file?: string): number {
  const n = expectNumber(value, path, file);
  if (!Number.isInteger(n) || n < 1 || n > 16384)
    throw new PoseFormatError(
      `must be a whole number of pixels from 1 to 16384, got ${n}`,
      path,
      file,
    );
  return n;
}
