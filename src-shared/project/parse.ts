/**
 * Turning untrusted JSON (a file, a message) into a `Project` of the current format version,
 * with every problem named by its field path. Older versions go through `migrateProject` first.
 */
import type { z } from 'zod';
import { ProjectError, formatFieldPath, type ProjectIssue } from './errors';
import { checkProjectRules } from './rules';
import { ProjectSchema, type Project } from './schema';

// The schema owns the shape, the rules own what spans fields. Both run in one zod pass (the rules
// as a refinement, exactly as when they sat inside the schema), so a UI sees every problem at once.
const ProjectFileSchema = ProjectSchema.superRefine((project, ctx) => {
  for (const issue of checkProjectRules(project)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});

/**
 * Fields a migration renamed. A file that says it is in the current format but uses an old name
 * (hand-edited from an old example) is told the new name rather than "not a field".
 */
const RENAMED_FIELDS: ReadonlyMap<string, { name: string; since: number }> = new Map([
  ['render.overlap', { name: 'render.segmentOverlap', since: 2 }],
]);

export type ProjectValidation =
  { ok: true; project: Project } | { ok: false; issues: ProjectIssue[] };

/** Validates a current-version project and lists every problem (for UIs that show them all). */
export function validateProject(raw: unknown): ProjectValidation {
  const r = ProjectFileSchema.safeParse(raw, { reportInput: true });
  if (r.success) return { ok: true, project: r.data };
  return { ok: false, issues: r.error.issues.flatMap(toProjectIssues) };
}

/** Validates a current-version project; throws a `ProjectError` naming the first bad field. */
export function parseProject(raw: unknown): Project {
  const r = validateProject(raw);
  if (r.ok) return r.project;
  const first = r.issues[0]!;
  throw new ProjectError(first.field, first.reason);
}

function toProjectIssues(issue: z.core.$ZodIssue): ProjectIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const field = formatFieldPath([...issue.path, key]);
      const renamed = RENAMED_FIELDS.get(field);
      return {
        field,
        reason: renamed
          ? `is called ${renamed.name} since project format ${renamed.since}: rename it`
          : 'is not a field of this project format (misspelt, or written by a newer Pose Studio?)',
      };
    });
  }
  return [{ field: formatFieldPath(issue.path), reason: reasonOf(issue) }];
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
