import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { mediaPathSchema } from '#shared/api/model';
import { checkProjectPath } from '#shared/project/index';
import { resolveInsideProject } from '#main/project/projectPaths';

/**
 * Project media for the UI, shared by the desktop protocol (`pose-studio-media://`) and the
 * browser-mode `/media/` route: only files inside the open project, only media types, with HTTP
 * range support (video seeking needs it).
 */
const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
};

export interface MediaResponse {
  status: 200 | 206 | 400 | 403 | 404 | 416;
  headers: Record<string, string>;
  /** File bytes for 200/206; a one-line reason otherwise. */
  body: ReadStream | string;
}

function fail(status: MediaResponse['status'], reason: string): MediaResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: reason };
}

/** Absolute path of a media path inside `projectFolder`, or an error reason. */
export async function resolveMediaFile(
  projectFolder: string,
  mediaPath: string,
): Promise<{ file: string } | { status: 400 | 403 | 404; reason: string }> {
  if (!mediaPathSchema.safeParse(mediaPath).success)
    return { status: 400, reason: 'bad media path' };
  if (!(extname(mediaPath).toLowerCase() in CONTENT_TYPES))
    return { status: 403, reason: 'not a media file' };
  if (!checkProjectPath(mediaPath).ok) return { status: 400, reason: 'bad media path' };
  // The project's one path check: real paths, no link out of the project, no pipes or devices.
  let found;
  try {
    found = await resolveInsideProject(projectFolder, mediaPath, { kind: 'file' });
  } catch {
    return { status: 403, reason: 'not a file inside the project' };
  }
  if (!found.exists) return { status: 404, reason: 'no such media file' };
  const file = found.path;
  return { file };
}

export async function mediaResponse(
  projectFolder: string | null,
  mediaPath: string,
  rangeHeader?: string | null,
): Promise<MediaResponse> {
  if (!projectFolder) return fail(404, 'no project is open');
  const r = await resolveMediaFile(projectFolder, mediaPath);
  if ('status' in r) return fail(r.status, r.reason);
  const info = await stat(r.file).catch(() => null);
  if (!info?.isFile()) return fail(404, 'no such media file');
  const size = info.size;
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(r.file).toLowerCase()]!,
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  const m = rangeHeader ? /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim()) : null;
  if (rangeHeader && m && (m[1] || m[2])) {
    let start: number;
    let end: number;
    if (m[1] === '') {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    } else {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    }
    if (start > end || start >= size) {
      return {
        status: 416,
        headers: { 'content-range': `bytes */${size}` },
        body: 'range not satisfiable',
      };
    }
    return {
      status: 206,
      headers: {
        ...headers,
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(end - start + 1),
      },
      body: createReadStream(r.file, { start, end }),
    };
  }
  return {
    status: 200,
    headers: { ...headers, 'content-length': String(size) },
    body: createReadStream(r.file),
  };
}
