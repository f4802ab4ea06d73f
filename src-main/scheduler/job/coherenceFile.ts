import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { coherenceReportSchema, type CoherenceReport } from '#shared/api/coherence';
import { atomicWrite } from '#main/fs/atomicWrite';
import { projectFolder, resolveInsideProject } from '#main/project/projectPaths';

/**
 * `renders/<job>/coherence.json`: the coherence report of the job's last finished render
 * (docs/rendering.md, "Coherence report"). Written atomically once the video passed its check, so
 * a report always describes a whole, finished video.
 */
export const COHERENCE_FILE = 'coherence.json';

/**
 * A report holds ≤ 500 points per series and one entry per segment boundary: far below this even
 * for a 100,000-segment video. A bigger file is not ours and is not read into memory.
 */
const MAX_REPORT_BYTES = 64 * 1024 ** 2;

export async function writeCoherenceReport(
  projectDir: string,
  jobId: string,
  report: CoherenceReport,
): Promise<void> {
  const dir = await projectFolder(projectDir, `renders/${jobId}`);
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, COHERENCE_FILE), `${JSON.stringify(report)}\n`);
}

/**
 * The report of a job, or null when the job has none (never finished, or rendered before reports
 * existed). A file that is not a report is an error naming it, never a crash.
 */
export async function readCoherenceReport(
  projectDir: string,
  jobId: string,
): Promise<CoherenceReport | null> {
  if (!/^[0-9a-f]{12}$/.test(jobId)) throw new Error(`"${jobId}" is not a render job id`);
  const file = await resolveInsideProject(projectDir, `renders/${jobId}/${COHERENCE_FILE}`, {
    kind: 'file',
  });
  if (!file.exists) return null;
  const { size } = await stat(file.path);
  if (size > MAX_REPORT_BYTES)
    throw new Error(
      `render job ${jobId}: ${COHERENCE_FILE} is ${Math.round(size / 1024 ** 2)} MB, too big to be a coherence report (render again to remake it)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file.path, 'utf8'));
  } catch {
    throw new Error(
      `render job ${jobId}: ${COHERENCE_FILE} is not readable JSON (render again to remake it)`,
    );
  }
  const parsed = coherenceReportSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `render job ${jobId}: ${COHERENCE_FILE} is not a coherence report (${parsed.error.issues[0]?.path.join('.') || 'top level'}: ${parsed.error.issues[0]?.message}); render again to remake it`,
    );
  return parsed.data;
}
