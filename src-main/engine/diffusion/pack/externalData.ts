import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';
import { PackError } from './packError';

export interface ExternalDataRef {
  tensor: string;
  location: string;
  offset: number;
  length: number;
}

/**
 * Models above this size keep their weights inside model.onnx (external data exists to get under
 * protobuf's 2 GB limit), so we do not decode them just to look for references.
 */
const maxGraphBytes = 256 * 1024 * 1024;

/** The external weight files a model refers to, read from its graph (weights are not loaded). */
export async function externalDataRefs(modelPath: string): Promise<ExternalDataRef[]> {
  const size = (await stat(modelPath)).size;
  if (size > maxGraphBytes) return [];
  const handle = await open(modelPath, 'r');
  let model: onnx.ModelProto;
  try {
    model = onnxProto.ModelProto.decode(await handle.readFile());
  } catch (cause) {
    throw new Error(`not an ONNX model (${(cause as Error).message})`, { cause });
  } finally {
    await handle.close();
  }
  const refs: ExternalDataRef[] = [];
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataLocation !== onnxProto.TensorProto.DataLocation.EXTERNAL) continue;
    const entry = (key: string) => tensor.externalData?.find((e) => e.key === key)?.value;
    refs.push({
      tensor: tensor.name ?? '',
      location: entry('location') ?? '',
      offset: Number(entry('offset') ?? 0),
      length: Number(entry('length') ?? 0),
    });
  }
  return refs;
}

/** Checks every external weight file exists next to the model and is long enough. */
export async function checkExternalData(
  component: string,
  dir: string,
  modelFile = 'model.onnx',
): Promise<string[]> {
  let refs: ExternalDataRef[];
  try {
    refs = await externalDataRefs(join(dir, modelFile));
  } catch (cause) {
    throw new PackError(
      `${component}/${modelFile} cannot be read: ${(cause as Error).message}`,
      component,
    );
  }
  const needed = new Map<string, number>();
  for (const ref of refs) {
    if (!ref.location || ref.location.includes('..') || ref.location.startsWith('/'))
      throw new PackError(
        `${component}/${modelFile}: tensor ${ref.tensor} has an unsafe external data location "${ref.location}"`,
        component,
      );
    needed.set(ref.location, Math.max(needed.get(ref.location) ?? 0, ref.offset + ref.length));
  }
  for (const [location, end] of needed) {
    let size: number;
    try {
      size = (await stat(join(dir, location))).size;
    } catch {
      throw new PackError(
        `${component}/${modelFile} keeps its weights in "${location}", which is missing from ${component}/ — copy it from the same export`,
        `${component}/${location}`,
      );
    }
    if (size < end)
      throw new PackError(
        `${component}/${location} is truncated: ${size} bytes, the model needs ${end} (incomplete download?)`,
        `${component}/${location}`,
      );
  }
  return [...needed.keys()];
}
