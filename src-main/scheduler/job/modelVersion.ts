import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const manifestSchema = z.looseObject({
  id: z.string(),
  version: z.number(),
  files: z.array(z.looseObject({ sha256: z.string() })),
});

const PUPPET_MANIFESTS = ['manifest.json'];
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The code that decides a puppet frame's pixels: character setup (mask, plate, mesh, part labels,
 * hidden-area fills), the mesh rasterizer, and the fitting to the output size. (The manifest
 * still counts: its graph is the engine's provider probe and was the renderer before the mesh.)
 */
export const PUPPET_RENDERER_SOURCES = [
  'src-shared/puppet',
  'src-main/engine/puppet',
  'src-shared/render/fitFrame.ts',
  'src-shared/geometry/pictureCanvas.ts',
];

/**
 * Hash of the renderer's source files under `root` (tests excluded), or null where the sources are
 * not on disk (a packaged app, whose bundle changes with its version). Comments count too: a
 * spurious re-render after an edit costs little, frames of two renderers in one video do not.
 */
export async function puppetRendererSourceHash(
  root: string = REPO,
  sources: readonly string[] = PUPPET_RENDERER_SOURCES,
): Promise<string | null> {
  const files: string[] = [];
  for (const s of sources) {
    const path = join(root, s);
    if (s.endsWith('.ts')) files.push(path);
    else {
      const names = await readdir(path).catch(() => null);
      if (!names) return null;
      for (const n of names)
        if (n.endsWith('.ts') && !n.endsWith('.test.ts')) files.push(join(path, n));
    }
  }
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    const text = await readFile(f).catch(() => null);
    if (text === null) return null;
    hash.update(f.slice(root.length)).update('\0').update(text).update('\0');
  }
  return hash.digest('hex');
}

let cached: Promise<string> | null = null;

/**
 * Identity of the puppet renderer: the built-in warp models (id, version and file hashes of their
 * manifests) and the source of the code around them. Part of every puppet segment's hash, so a new
 * model or renderer invalidates cached segments instead of mixing frames of two in one video.
 */
export function puppetModelVersion(): Promise<string> {
  cached ??= (async () => {
    const dir = join(REPO, 'native-models', 'puppet');
    const parts: string[] = [];
    for (const name of PUPPET_MANIFESTS) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => null);
      if (text === null) continue;
      const m = manifestSchema.parse(JSON.parse(text));
      parts.push(`${m.id}@${m.version}:${m.files.map((f) => f.sha256).join(',')}`);
    }
    if (!parts.length) throw new Error(`no puppet model manifest in ${dir}`);
    const code = await puppetRendererSourceHash();
    if (code) parts.push(`renderer:${code}`);
    return parts.join(';');
  })();
  cached.catch(() => (cached = null));
  return cached;
}
