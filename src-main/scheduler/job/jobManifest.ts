import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OUTPUT_FORMATS } from '#shared/project/schema';
import { hashOf } from '#shared/render/hash';
import type { RenderPlan } from '#shared/render/plan';
import { atomicWrite } from '#main/fs/atomicWrite';
import { projectFolder, resolveInsideProject } from '#main/project/projectPaths';

/**
 * `renders/<job>/manifest.json`: what a render job is (output, format, range) and how far it got.
 * Rewritten atomically after every segment, so after a crash or kill it always describes a real
 * state: `resume` re-plans, finds the first segment not done, and goes on from there (finished
 * segments come back from the content-addressed cache).
 */
export const JOB_STATES = ['running', 'done', 'failed', 'cancelled'] as const;

export const JobManifestSchema = z.strictObject({
  version: z.literal(1),
  jobId: z.string().regex(/^[0-9a-f]{12}$/),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: z.enum(JOB_STATES),
  /** Absolute output path (file, or folder for PNG sequences). */
  output: z.string().min(1),
  format: z.enum(OUTPUT_FORMATS),
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive(),
  segments: z.array(
    z.strictObject({
      index: z.number().int().nonnegative(),
      start: z.number().int().nonnegative(),
      end: z.number().int().positive(),
      hash: z.string(),
      done: z.boolean(),
    }),
  ),
  /** How many segments each attempt rendered (not from cache): one entry per run/resume. */
  attempts: z.array(
    z.strictObject({
      startedAt: z.string(),
      rendered: z.number().int(),
      cached: z.number().int(),
      /** Segments rendered again after their engine process died, each in one line (why). */
      retries: z.array(z.string()).optional(),
    }),
  ),
  error: z.string().nullable(),
  /**
   * Size and mtime of the file output when this job last finished it: proof that the file at
   * `output` is this job's (a re-render may replace it) and not one the user put there since.
   */
  outputFile: z.strictObject({ size: z.number(), mtimeMs: z.number() }).optional(),
});
export type JobManifest = z.infer<typeof JobManifestSchema>;

/** One job per (output, format, range): rendering the same thing again continues the same job. */
export function jobIdFor(output: string, format: string, from: number, to: number): string {
  return hashOf('job', output, format, from, to).slice(0, 12);
}

export function jobFolder(projectDir: string, jobId: string): string {
  return join(projectDir, 'renders', jobId);
}

export async function readManifest(projectDir: string, jobId: string): Promise<JobManifest | null> {
  // Inside the project only (a `renders` link elsewhere, a pipe as manifest: refused, not read).
  const file = await resolveInsideProject(projectDir, `renders/${jobId}/manifest.json`, {
    kind: 'file',
  });
  if (!file.exists) return null;
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch {
    return null;
  }
  const parsed = JobManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `render job ${jobId}: manifest.json is not valid (${parsed.error.issues[0]?.message})`,
    );
  return parsed.data;
}

export async function writeManifest(projectDir: string, manifest: JobManifest): Promise<void> {
  const dir = await projectFolder(projectDir, `renders/${manifest.jobId}`);
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
}

/** Every job of a project, newest first. */
export async function listManifests(projectDir: string): Promise<JobManifest[]> {
  const renders = await projectFolder(projectDir, 'renders');
  const names = await readdir(renders).catch(() => [] as string[]);
  const out: JobManifest[] = [];
  for (const n of names) {
    if (!/^[0-9a-f]{12}$/.test(n)) continue;
    const m = await readManifest(projectDir, n).catch(() => null);
    if (m) out.push(m);
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** Segment list of a fresh plan, keeping `done` for segments whose hash the manifest already had. */
export function manifestSegments(
  plan: RenderPlan,
  previous: JobManifest | null,
): JobManifest['segments'] {
  const doneHashes = new Set(previous?.segments.filter((s) => s.done).map((s) => s.hash) ?? []);
  return plan.segments.map((s) => ({
    index: s.index,
    start: s.start,
    end: s.end,
    hash: s.hash,
    done: doneHashes.has(s.hash),
  }));
}

/** Index of the first segment not done yet (the segment count when all are done). */
export function firstMissingSegment(manifest: JobManifest): number {
  const i = manifest.segments.findIndex((s) => !s.done);
  return i < 0 ? manifest.segments.length : i;
}

/** Whether the file at `output` is provably what this job wrote last (so a re-render may replace it). */
export async function manifestOwnsOutput(
  previous: JobManifest | null,
  output: string,
): Promise<boolean> {
  if (!previous) return false;
  const st = await stat(output).catch(() => null);
  if (!st) return false;
  // Manifests written before `outputFile` existed: a finished job vouches for its output.
  if (!previous.outputFile) return previous.state === 'done';
  return st.size === previous.outputFile.size && st.mtimeMs === previous.outputFile.mtimeMs;
}
