/**
 * Model registry: manifests (id, kind, files, inputs/outputs, opset, sha256) checked on load.
 * Built-in graphs are generated at first use into a cache folder and rebuilt when the cached file
 * is missing or corrupt; a model whose bytes, inputs or outputs do not match its manifest is
 * refused with an error naming the model and what is wrong.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BUILTIN_MODELS } from '#native-models/builtins';

export const ModelManifest = z.object({
  id: z.string().min(1),
  kind: z.enum(['builtin-graph', 'pack']),
  version: z.number().int().positive(),
  description: z.string().optional(),
  opset: z.number().int().min(7),
  files: z
    .array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
    .min(1),
  inputs: z.array(z.string().min(1)).min(1),
  outputs: z.array(z.string().min(1)).min(1),
});
export type ModelManifest = z.infer<typeof ModelManifest>;

export class ModelError extends Error {
  override name = 'ModelError';
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where built-in graphs are cached: $POSE_STUDIO_MODEL_CACHE, else <project>/.cache/models. */
export function defaultModelCacheDir(): string {
  return process.env.POSE_STUDIO_MODEL_CACHE || join(projectRoot, '.cache', 'models');
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

export function builtinManifest(id: string): ModelManifest {
  const builtin = BUILTIN_MODELS[id];
  if (!builtin)
    throw new ModelError(
      `unknown model "${id}" (built in: ${Object.keys(BUILTIN_MODELS).join(', ')})`,
    );
  const parsed = ModelManifest.safeParse(builtin.manifest);
  if (!parsed.success)
    throw new ModelError(`manifest of ${id} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export class ModelRegistry {
  constructor(readonly cacheDir = defaultModelCacheDir()) {}

  /** The model's bytes, verified; built-in graphs are (re)built into the cache when needed. */
  async load(id: string): Promise<{ manifest: ModelManifest; bytes: Uint8Array; path: string }> {
    const manifest = builtinManifest(id);
    const file = manifest.files[0]!;
    const path = join(this.cacheDir, file.path);
    let bytes: Uint8Array | undefined;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      bytes = undefined; // missing: build below
    }
    if (!bytes || sha256(bytes) !== file.sha256) {
      const built = BUILTIN_MODELS[id]!.build();
      const hash = sha256(built);
      if (hash !== file.sha256)
        throw new ModelError(
          `model ${id}: the builder produced sha256 ${hash} but the manifest pins ${file.sha256} ` +
            `(builder changed without updating native-models manifest)`,
        );
      await mkdir(this.cacheDir, { recursive: true });
      // Write under a temporary name and rename, so a crash never leaves a half-written model.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, built);
      await rename(tmp, path);
      bytes = built;
    }
    return { manifest, bytes, path };
  }

  /** Checks a created session's inputs and outputs against the manifest. */
  static checkSignature(
    manifest: ModelManifest,
    inputNames: readonly string[],
    outputNames: readonly string[],
  ): void {
    const missingIn = manifest.inputs.filter((n) => !inputNames.includes(n));
    const extraIn = inputNames.filter((n) => !manifest.inputs.includes(n));
    const missingOut = manifest.outputs.filter((n) => !outputNames.includes(n));
    if (missingIn.length || extraIn.length || missingOut.length)
      throw new ModelError(
        `model ${manifest.id} does not match its manifest:` +
          (missingIn.length ? ` missing inputs ${missingIn.join(', ')};` : '') +
          (extraIn.length ? ` unexpected inputs ${extraIn.join(', ')};` : '') +
          (missingOut.length ? ` missing outputs ${missingOut.join(', ')};` : ''),
      );
  }
}
