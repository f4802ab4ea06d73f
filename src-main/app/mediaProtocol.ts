import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { MEDIA_SCHEME } from '#shared/api/index';
import { decodeUrlPath, MALFORMED_URL_TEXT } from '#shared/api/urlPath';
import { mediaResponse } from '#main/services/api/mediaFiles';

/** Must run before `app.ready`: the media scheme is standard, secure and streamable (video). */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true },
    },
  ]);
}

/**
 * `pose-studio-media://project/<media path>` serves files of the open project only — the same
 * rules as browser mode's /media/ route (shared code), never file:// access to the disk.
 */
export function handleMediaProtocol(projectFolder: () => string | null): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'project') return new Response('not found', { status: 404 });
    const mediaPath = decodeUrlPath(url.pathname.replace(/^\//, ''));
    if (mediaPath === null) return new Response(MALFORMED_URL_TEXT, { status: 400 });
    const r = await mediaResponse(projectFolder(), mediaPath, request.headers.get('range'));
    const body = typeof r.body === 'string' ? r.body : (Readable.toWeb(r.body) as ReadableStream);
    return new Response(body, { status: r.status, headers: r.headers });
  });
}
