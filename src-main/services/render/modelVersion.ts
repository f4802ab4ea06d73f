import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const manifestSchema = z.looseObject({
  id: z.string(),
  version: z.number(),
  files: z.array(z.looseObject({ sha256: z.string() })),
});

const PUPPET_MANIFESTS = ['manifest.json'];

/**
 * Identity of the built-in puppet warp models (id, version and file hashes of their manifests):
 * part of every puppet segment's hash, so a new model invalidates cached segments instead of
 * mixing frames of two models in one video.
 */
export async function puppetModelVersion(): Promise<string> {
  const dir = join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    '..',
    'native-models',
    'puppet',
  );
  const parts: string[] = [];
  for (const name of PUPPET_MANIFESTS) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    const m = manifestSchema.parse(JSON.parse(text));
    parts.push(`${m.id}@${m.version}:${m.files.map((f) => f.sha256).join(',')}`);
  }
  if (!parts.length) throw new Error(`no puppet model manifest in ${dir}`);
  return parts.join(';');
}
