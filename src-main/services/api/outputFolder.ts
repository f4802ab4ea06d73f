import { lstat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RenderSettings } from '#shared/api/index';
import { extensionOf } from '#main/media/formats';

/**
 * Where the studio writes a render of `settings` in a project: `renders/render-<from>-<to>.<ext>`,
 * or a folder of that name for PNG frames. One output per (range, format), so rendering the same
 * range again continues the same job.
 */
export function studioOutputPath(projectFolder: string, s: RenderSettings): string {
  const name = `render-${s.from}-${s.to}`;
  return join(
    projectFolder,
    'renders',
    s.format === 'png' ? name : `${name}${extensionOf(s.format)}`,
  );
}

/** What "Open folder" shows: the folder the output is in, and the output file to select there. */
export interface OutputLocation {
  /** The folder to open: the video's folder, or the PNG frames' own folder once it exists. */
  folder: string;
  /** The finished video to select in that folder; null while it does not exist (yet). */
  select: string | null;
}

/**
 * The output's folder — never the job's own folder under renders/<job> (manifest, lock,
 * coherence report), which is where the studio used to point. A link at the output's path is
 * not followed: its folder is opened, nothing selected.
 */
export async function outputLocation(output: string, format: string): Promise<OutputLocation> {
  const st = await lstat(output).catch(() => null);
  if (format === 'png')
    return { folder: st?.isDirectory() ? output : dirname(output), select: null };
  return { folder: dirname(output), select: st?.isFile() ? output : null };
}
