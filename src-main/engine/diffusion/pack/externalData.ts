import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { isLfsPointer, type ExternalDataRef } from './onnxHeader';
import { PackError } from './packError';

export type { ExternalDataRef };

/** One external weight file a model names, as found on disk. */
export interface ExternalDataFile {
  /** As the graph names it (relative to the model's folder): `weights.pb`, `model.onnx.data`, … */
  location: string;
  /** Bytes the model needs from it (largest offset + length). */
  needed: number;
  size: number;
}

/**
 * Checks every external weight file a model refers to, found through each initializer's
 * `location` (diffusers writes `weights.pb`, optimum `model.onnx_data`, ORT's optimizer
 * `model.onnx.data`): it must stay inside the model's folder (also after following symlinks —
 * a graph must not read weights from anywhere else on the machine), exist, be the real file
 * and not a Git LFS pointer, and be long enough for every tensor.
 */
export async function checkExternalData(
  refs: readonly ExternalDataRef[],
  modelDir: string,
  modelRel: string,
): Promise<ExternalDataFile[]> {
  const where = modelRel.slice(0, modelRel.lastIndexOf('/') + 1);
  const needed = new Map<string, number>();
  for (const ref of refs) {
    const bad =
      !ref.location ||
      isAbsolute(ref.location) ||
      ref.location.split(/[\\/]/).includes('..') ||
      !Number.isSafeInteger(ref.offset) ||
      !Number.isSafeInteger(ref.length) ||
      ref.offset < 0 ||
      ref.length < 0;
    if (bad)
      throw new PackError(
        `${modelRel}: tensor ${ref.tensor} has an unsafe external data entry (location "${ref.location}", offset ${ref.offset}, length ${ref.length})`,
        modelRel,
      );
    needed.set(ref.location, Math.max(needed.get(ref.location) ?? 0, ref.offset + ref.length));
  }
  const realDir = await realpath(modelDir);
  const files: ExternalDataFile[] = [];
  for (const [location, end] of needed) {
    const path = join(modelDir, location);
    const rel = `${where}${location}`;
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new PackError(
        `${modelRel} keeps its weights in "${location}", which is missing from ${where || './'} — copy it from the same download`,
        rel,
      );
    }
    const inside = relative(realDir, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.startsWith(sep))
      throw new PackError(
        `${rel} is a link to ${real}, outside the model's folder: copy the weights file into ${where || './'}`,
        rel,
      );
    const info = await stat(real);
    if (!info.isFile()) throw new PackError(`${rel} is not a file`, rel);
    if (await isLfsPointer(real))
      throw new PackError(
        `${rel} is a Git LFS pointer, not the weights: run "git lfs pull" in the clone`,
        rel,
      );
    if (info.size < end)
      throw new PackError(
        `${rel} is truncated: ${info.size} bytes, the model needs ${end} (incomplete download?)`,
        rel,
      );
    files.push({ location, needed: end, size: info.size });
  }
  return files;
}
