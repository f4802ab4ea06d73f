import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkExternalData, type ExternalDataFile } from './externalData';
import { recogniseModel } from './modelRoles';
import { NotAModelError, readOnnxHeader, type OnnxHeader } from './onnxHeader';
import { PackError } from './packError';
import type { ModelRole, RecognisedModel } from './signatures';

/** Where a model came from: the pack folder, or a separate folder the user named. */
export type ModelOrigin = 'pack' | 'controlNetPath' | 'unetPath';

/** One ONNX model found for a pack: its file, what it is, and what it needs on disk. */
export interface PackModel {
  /** Absolute path of the .onnx file. */
  path: string;
  /** The model's folder (external data locations are relative to it). */
  dir: string;
  /** Path shown to the user: `unet/model.onnx`, or `<controlnet>/model.onnx` for a separate folder. */
  rel: string;
  origin: ModelOrigin;
  header: OnnxHeader;
  recognised: RecognisedModel;
  externalData: ExternalDataFile[];
}

/**
 * The model file of a component folder: `model.onnx`, else the folder's only `.onnx` file.
 * Several candidates and no `model.onnx` is refused (which one is meant cannot be guessed).
 */
export async function modelFileIn(dir: string, relDir: string): Promise<string | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.includes('model.onnx')) return join(dir, 'model.onnx');
  const onnx = names.filter((n) => n.toLowerCase().endsWith('.onnx')).sort();
  if (onnx.length > 1)
    throw new PackError(
      `${relDir}/ holds ${onnx.length} models (${onnx.join(', ')}) and no model.onnx: keep one, or rename the one to use to model.onnx`,
      relDir,
    );
  return onnx.length === 1 ? join(dir, onnx[0]!) : null;
}

/**
 * Reads one model's header (no weights), checks its external data and recognises its role.
 * `folder` is the diffusers folder it sits in, used only when the structure leaves a tie.
 */
export async function readPackModel(
  path: string,
  rel: string,
  origin: ModelOrigin,
  folder?: ModelRole,
): Promise<PackModel> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new PackError(`${rel} is missing`, rel);
  let header: OnnxHeader;
  try {
    header = await readOnnxHeader(path);
  } catch (cause) {
    if (cause instanceof NotAModelError)
      throw new PackError(`${rel} ${cause.message}${hint(cause.message)}`, rel);
    throw new PackError(`${rel} cannot be read: ${(cause as Error).message}`, rel);
  }
  const dir = dirname(path);
  const externalData = await checkExternalData(header.externalData, dir, rel);
  const recognised = recogniseModel(header, rel, folder);
  return { path, dir, rel, origin, header, recognised, externalData };
}

function hint(message: string): string {
  return /truncated|complete/.test(message)
    ? ' — the download stopped early: download this file again'
    : '';
}

/** `unet/model.onnx` for a file in the pack, `<folder name>/<file>` for a separate folder. */
export function displayPath(root: string, path: string): string {
  const inside = path.startsWith(root + '/') ? path.slice(root.length + 1) : null;
  return inside ?? `${basename(dirname(path))}/${basename(path)}`;
}
