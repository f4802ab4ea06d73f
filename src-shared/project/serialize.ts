/**
 * `project.json` text: indented for diffs and hand edits, but each point list on one line (a
 * keyframe is 408 numbers; one per line would make files unreadable). `JSON.stringify` prints the
 * shortest text that reads back as the same double, so points round-trip exactly.
 */
import type { Project } from './schema';

// An array whose items are all numbers, as `JSON.stringify(…, 2)` lays it out (one per line).
const NUMBER_ARRAY = /\[\n\s+(-?[\d.eE+-]+(?:,\n\s+-?[\d.eE+-]+)*)\n\s*\]/g;

export function serializeProject(project: Project): string {
  const text = JSON.stringify(project, null, 2).replace(
    NUMBER_ARRAY,
    (_m, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`,
  );
  return `${text}\n`;
}
