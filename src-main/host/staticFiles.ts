import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decodeUrlPath, MALFORMED_URL_TEXT } from '#shared/api/urlPath';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serves the built renderer; unknown paths get index.html (client-side views). */
export async function serveStatic(
  rendererDir: string,
  urlPath: string,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  let rel = decodeUrlPath(urlPath.split('?')[0] ?? '/');
  if (rel === null) {
    res.writeHead(400, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(MALFORMED_URL_TEXT);
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(rendererDir, rel));
  const inside = file.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep);
  let target = inside ? file : join(rendererDir, 'index.html');
  let info = await stat(target).catch(() => null);
  if (!info?.isFile() && extname(rel) !== '' && extname(rel) !== '.html') {
    // A missing asset (or favicon) is a 404, not the page: only view paths fall back to it.
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  if (!info?.isFile()) {
    target = join(rendererDir, 'index.html');
    info = await stat(target).catch(() => null);
  }
  if (!info?.isFile()) {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      'The studio UI is not built. Restart `pose-studio serve` without --no-build (it builds the UI on start).',
    );
    return;
  }
  const type = TYPES[extname(target)] ?? 'application/octet-stream';
  // Hashed asset names never change content; index.html must always be re-read.
  const cache = target.includes(`${sep}assets${sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': String(info.size),
    'cache-control': cache,
  });
  // pipeline, not pipe: a client that disconnects mid-response closes the file too.
  await pipeline(createReadStream(target), res).catch(() => undefined);
}
