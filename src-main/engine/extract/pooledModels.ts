/**
 * DWPose models served by the engine's `SessionPool` (provider fallback, serialized runs, idle
 * release) instead of sessions of their own. The pool does not expose input shapes, so the
 * extractor uses the reference sizes (640² detector, 288×384 pose model).
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { SessionPool } from '#main/engine/sessionPool';
import { DWPOSE_FILES, type OnnxModel } from './dwposeExtractor';
import { ExtractorError } from './extractor';

async function pooledModel(pool: SessionPool, dir: string, file: string): Promise<OnnxModel> {
  const path = join(dir, file);
  try {
    await access(path);
  } catch {
    throw new ExtractorError(`DWPose pack is missing ${path}`);
  }
  const modelId = `dwpose:${path}`;
  const load = async () => new Uint8Array(await readFile(path));
  let inputNames: readonly string[];
  let outputNames: readonly string[];
  try {
    inputNames = await pool.inputNames(modelId, load);
    outputNames = await pool.outputNames(modelId, load);
  } catch (e) {
    throw new ExtractorError(
      `cannot open ${path} as an ONNX model: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return {
    inputNames,
    outputNames,
    inputShape: [],
    run: async (feeds) => (await pool.run(modelId, load, feeds)) as Record<string, ort.Tensor>,
    // The pool owns the sessions and releases them when idle.
    release: async () => undefined,
  };
}

export async function dwposeModelsFromPool(
  pool: SessionPool,
  dir: string,
): Promise<{ detector: OnnxModel; pose: OnnxModel }> {
  return {
    detector: await pooledModel(pool, dir, DWPOSE_FILES.detector),
    pose: await pooledModel(pool, dir, DWPOSE_FILES.pose),
  };
}
