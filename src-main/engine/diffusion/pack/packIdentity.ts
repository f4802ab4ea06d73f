import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { PackManifest } from './packManifest';
import type { PackModel } from './packModel';

/** Files up to this size are hashed whole (configs, tokenizer, graphs with external weights). */
const WHOLE_FILE_BYTES = 4 * 1024 * 1024;
/** Larger files (weights): their size and this many evenly spaced samples … */
const SAMPLES = 32;
/** … of this many bytes each (2 MB read per weight file, whatever its size). */
const SAMPLE_BYTES = 64 * 1024;

/**
 * A content identity of one file that does not read gigabytes: small files are hashed whole;
 * a large one by its size and 32 samples spread over it (first and last bytes included). New
 * weights — a fine-tune, another checkpoint, a different precision — change the size or
 * practically every sample; the path and modification time play no part, so a moved or copied
 * pack keeps its identity.
 */
export async function fileIdentity(path: string, into: Hash = createHash('sha256')): Promise<Hash> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    into.update(`size ${size}\n`);
    if (size <= WHOLE_FILE_BYTES) {
      into.update(await handle.readFile());
      return into;
    }
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const span = size - SAMPLE_BYTES;
    for (let k = 0; k < SAMPLES; k++) {
      const position = Math.round((span * k) / (SAMPLES - 1));
      const { bytesRead } = await handle.read(buf, 0, SAMPLE_BYTES, position);
      into.update(`@${position}\n`).update(buf.subarray(0, bytesRead));
    }
    return into;
  } finally {
    await handle.close();
  }
}

/** One model component: its graph and external weight files (named relative to the component). */
export async function componentIdentity(
  files: Pick<PackModel, 'dir' | 'path' | 'externalData'>,
): Promise<string> {
  const h = createHash('sha256');
  // External data locations are relative to the component folder, as the graph names them.
  const weights = files.externalData
    .map((e) => e.location)
    .sort()
    .map((l) => join(files.dir, l));
  for (const file of [files.path, ...weights]) {
    h.update(`file ${relative(files.dir, file)}\n`);
    await fileIdentity(file, h);
  }
  return h.digest('hex');
}

/**
 * The content identity of a pack: every file that changes pixels (model_index.json, each
 * component's graph and weights, the scheduler config, the tokenizer), named relative to the
 * pack folder. Used in render cache keys: replacing weights re-renders; moving the pack does not.
 */
export async function packIdentity(manifest: PackManifest): Promise<string> {
  const h = createHash('sha256').update('pack-identity-1\n');
  for (const [name, files] of Object.entries(manifest.components).sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    if (files) h.update(`component ${name} ${await componentIdentity(files)}\n`);
  const { tokenizer } = manifest;
  const others = [
    ...(manifest.modelIndex ? [join(manifest.root, 'model_index.json')] : []),
    join(manifest.root, 'scheduler', 'scheduler_config.json'),
    tokenizer.vocab,
    tokenizer.merges,
    ...(tokenizer.config ? [tokenizer.config] : []),
  ];
  for (const file of others) {
    h.update(`file ${relative(manifest.root, file)}\n`);
    await fileIdentity(file, h);
  }
  return h.digest('hex');
}
