import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { repoRoot } from './harness';

/** Where `src-renderer/editor/vite.config.ts` puts the standalone editor page. */
export const standaloneDir = join(repoRoot, 'out', 'editor-standalone');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the standalone editor with Vite when missing or older than its sources. */
export async function buildStandaloneEditor(force = false): Promise<void> {
  const index = join(standaloneDir, 'index.html');
  const stale =
    force ||
    !existsSync(index) ||
    Math.max(newest(join(repoRoot, 'src-renderer')), newest(join(repoRoot, 'src-shared'))) >
      statSync(index).mtimeMs;
  if (!stale) return;
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would make the React plugin emit the dev JSX runtime.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'src-renderer', 'editor', 'vite.config.ts') });
  } finally {
    process.env.NODE_ENV = env;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A static file server for the built page on 127.0.0.1 (a free port). */
export async function serveStandalone(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(standaloneDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(standaloneDir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
