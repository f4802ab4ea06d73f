/**
 * Format version 1 → 2: one name per setting from the file to the studio. Version 1 called the
 * frames neighbouring segments share `render.overlap`; the studio, the API and the render plan
 * call it `segmentOverlap`, so version 2 does too. Nothing else changed; the value is carried
 * over untouched and validated by the version-2 schema afterwards (a bad value is reported at
 * `render.segmentOverlap`, the name the user will find after the next save).
 *
 * Segment content hashes never contained the field's name, so a migrated project keeps its
 * render cache.
 */
import { ProjectError } from './errors';

// Plain `Record` rather than migrations.ts's JsonObject: importing it would make an import cycle.
export function migrateV1toV2(v1: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v1, version: 2 };
  const render = v1.render;
  // Anything but an object is left for the schema to name (`render` must be an object).
  if (typeof render !== 'object' || render === null || Array.isArray(render)) return out;
  if (!('overlap' in render)) return out;
  const { overlap, ...rest } = render as Record<string, unknown>;
  // Version 1 had no `segmentOverlap`: a file with both was written by hand or by a newer draft,
  // and silently preferring one value would render something the user did not ask for.
  if ('segmentOverlap' in rest)
    throw new ProjectError(
      'render.overlap',
      'format version 1 has "overlap" only; remove "overlap" or "segmentOverlap" (they name the same setting)',
    );
  out.render = { ...rest, segmentOverlap: overlap };
  return out;
}
