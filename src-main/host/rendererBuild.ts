import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig, Plugin } from 'vite';
import { MEDIA_SCHEME } from '#shared/api/client';
import { contentSecurityPolicy } from '#shared/api/csp';

/** Repository root (this file is src-main/host/rendererBuild.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererSourceDir = join(repoRoot, 'src-renderer');
export const rendererOutDir = join(repoRoot, 'out', 'renderer');

/** Bakes the CSP into index.html as a meta tag (the host and Electron also send it as a header). */
export function cspMetaPlugin(): Plugin {
  return {
    name: 'pose-studio-csp-meta',
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: contentSecurityPolicy({ mediaScheme: MEDIA_SCHEME, meta: true }),
          },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

/**
 * The Vite settings of the renderer, shared by electron-vite (desktop build) and by
 * `pose-studio serve` (browser mode), so both ship the same bundle to `out/renderer`.
 */
export async function rendererViteConfig(): Promise<InlineConfig> {
  const { default: react } = await import('@vitejs/plugin-react');
  return {
    root: rendererSourceDir,
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [react(), cspMetaPlugin()],
    build: {
      outDir: rendererOutDir,
      emptyOutDir: true,
      target: 'chrome120',
      minify: true,
      chunkSizeWarningLimit: 2000,
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The build is stale when any source of the UI (src-renderer, src-shared) is newer than the
 * built index.html. Cheap enough (a directory walk) to run on every `serve` start.
 */
export function rendererBuildIsStale(outDir = rendererOutDir): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(rendererSourceDir),
    newestMtime(join(repoRoot, 'src-shared')),
  );
  return sources > built;
}

export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build(await rendererViteConfig());
}

/** Builds the renderer if missing or stale; returns whether it built. */
export async function ensureRendererBuilt(force = false): Promise<boolean> {
  if (!force && !rendererBuildIsStale()) return false;
  await buildRenderer();
  return true;
}
