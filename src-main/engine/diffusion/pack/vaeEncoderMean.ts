import { readFile } from 'node:fs/promises';
import { onnxProto } from '#native-models/onnxProto';

/**
 * Exports of a VAE encoder that call `latent_dist.sample()` (diffusers' convert script, Olive)
 * contain `RandomNormalLike`: mean + std × noise, new noise on every run, so the reference latent
 * and the reference bank would differ between two renders of the same project. This replaces
 * the noise by zeros of the same shape and type (`Sub(x, x)`), leaving the distribution's mean —
 * what Pose Studio wants (optimum's `latent_parameters` export is read the same way).
 * Returns null when the graph has no such node (it is then loaded from its file unchanged).
 */
export async function vaeEncoderWithMean(modelPath: string): Promise<Uint8Array | null> {
  const model = onnxProto.ModelProto.decode(await readFile(modelPath));
  const nodes = model.graph?.node ?? [];
  let changed = false;
  for (const node of nodes) {
    if (node.opType !== 'RandomNormalLike' || (node.domain ?? '') !== '') continue;
    const input = node.input?.[0];
    if (!input) continue;
    node.opType = 'Sub';
    node.input = [input, input];
    // RandomNormalLike's attributes (mean, scale, seed, dtype) mean nothing to Sub.
    node.attribute = [];
    changed = true;
  }
  return changed ? onnxProto.ModelProto.encode(model).finish() : null;
}
