/**
 * Reading any format version this build knows: each step turns version n into n + 1 as plain
 * JSON, and the result is validated against the current schema. A file from a newer build is
 * refused (never half-read), because saving it back would drop what this build does not know.
 *
 * Versions:
 *   0  the pre-release draft (no `version` field, or `version: 0`) — see `migrateV0.ts`.
 *   1  `render.overlap` for what the studio calls the segment overlap — see `migrateV1.ts`.
 *   2  the current format (`schema.ts`).
 */
import { ProjectError } from './errors';
import { isJsonObject, type JsonObject } from './json';
import { migrateV0toV1 } from './migrateV0';
import { migrateV1toV2 } from './migrateV1';
import { parseProject } from './parse';
import { PROJECT_VERSION, type Project } from './schema';

export interface MigrationResult {
  project: Project;
  /** The version the input was in, when it was older than the current one. */
  migratedFrom?: number;
}

/** Step n turns a version-n object into a version-(n+1) object. */
const STEPS: Readonly<Record<number, (raw: JsonObject) => JsonObject>> = {
  0: migrateV0toV1,
  1: migrateV1toV2,
};

export function migrateProject(raw: unknown): MigrationResult {
  if (!isJsonObject(raw)) throw new ProjectError('project', 'must be a JSON object');
  const from = versionOf(raw);
  let current = raw;
  for (let v = from; v < PROJECT_VERSION; v++) {
    const step = STEPS[v];
    if (!step) throw new ProjectError('version', `no migration from format version ${v}`);
    current = step(current);
  }
  const project = parseProject(current);
  return from < PROJECT_VERSION ? { project, migratedFrom: from } : { project };
}

function versionOf(raw: JsonObject): number {
  const v = raw.version;
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ProjectError(
      'version',
      `must be a whole number (format version), got ${describeVersion(v)}`,
    );
  if (v > PROJECT_VERSION)
    throw new ProjectError(
      'version',
      `${v} is newer than this Pose Studio reads (up to ${PROJECT_VERSION}); update Pose Studio to open this project`,
    );
  return v;
}

/** What a bad `version` holds, short (a list or object may be huge or deeply nested). */
function describeVersion(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
