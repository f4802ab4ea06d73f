/**
 * Format version 0 → 1.
 *
 * Version 0 is the pre-release draft of the project file (never shipped in a release; kept so
 * the migration chain is exercised from day one and early hand-written projects still open).
 * It differs from version 1 in these places:
 *   - no `version` field (or `version: 0`);
 *   - `characters[].pose` instead of `referencePose`;
 *   - keyframe `easing` as a string: `"hold"`, `"linear"` or `"cubic-bezier(x1, y1, x2, y2)"`;
 *   - `output.frames: {start, end}` with `end` INCLUDED, instead of `output.range: {from, to}`
 *     with `to` excluded;
 *   - `render.segment: {length, overlap}` instead of `render.segmentLength` / `render.overlap`.
 * Everything else is carried over unchanged and validated by the version-1 schema afterwards.
 */
import { ProjectError } from './errors';
import { isJsonObject, type JsonObject } from './json';

export function migrateV0toV1(v0: JsonObject): JsonObject {
  const out: JsonObject = { ...v0, version: 1 };

  if (Array.isArray(v0.characters)) {
    out.characters = v0.characters.map((c: unknown) => {
      if (!isJsonObject(c) || !('pose' in c)) return c;
      const { pose, ...rest } = c;
      return { ...rest, referencePose: pose };
    });
  }

  if (Array.isArray(v0.tracks)) {
    out.tracks = v0.tracks.map((track: unknown, t) => {
      if (!isJsonObject(track) || !Array.isArray(track.people)) return track;
      return {
        ...track,
        people: track.people.map((lane: unknown, p) => {
          if (!isJsonObject(lane) || !Array.isArray(lane.keyframes)) return lane;
          return {
            ...lane,
            keyframes: lane.keyframes.map((kf: unknown, k) =>
              isJsonObject(kf) && typeof kf.easing === 'string'
                ? {
                    ...kf,
                    easing: parseV0Easing(
                      kf.easing,
                      `tracks[${t}].people[${p}].keyframes[${k}].easing`,
                    ),
                  }
                : kf,
            ),
          };
        }),
      };
    });
  }

  if (isJsonObject(v0.output) && 'frames' in v0.output) {
    const { frames, ...rest } = v0.output;
    if (!isJsonObject(frames) || !isWhole(frames.start) || !isWhole(frames.end))
      throw v0Error('output.frames', 'must be {start, end} with whole frame numbers');
    out.output = { ...rest, range: { from: frames.start, to: frames.end + 1 } };
  }

  if (isJsonObject(v0.render) && 'segment' in v0.render) {
    const { segment, ...rest } = v0.render;
    if (!isJsonObject(segment)) throw v0Error('render.segment', 'must be {length, overlap}');
    out.render = {
      ...rest,
      ...(segment.length !== undefined ? { segmentLength: segment.length } : {}),
      ...(segment.overlap !== undefined ? { overlap: segment.overlap } : {}),
    };
  }

  return out;
}

const BEZIER = /^cubic-bezier\(\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$/;

function parseV0Easing(text: string, field: string): JsonObject {
  if (text === 'hold' || text === 'linear') return { kind: text };
  const m = BEZIER.exec(text.trim());
  if (m) {
    const [x1, y1, x2, y2] = m.slice(1).map(Number) as [number, number, number, number];
    if ([x1, y1, x2, y2].every(Number.isFinite)) return { kind: 'bezier', x1, y1, x2, y2 };
  }
  throw v0Error(field, `"${text}" is not "hold", "linear" or "cubic-bezier(x1, y1, x2, y2)"`);
}

function v0Error(field: string, reason: string): ProjectError {
  return new ProjectError(field, `${reason} (format version 0)`);
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
