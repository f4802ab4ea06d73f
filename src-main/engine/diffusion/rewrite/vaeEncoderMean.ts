import type { onnx } from 'onnx-proto';
import { GraphIndex, removeDeadNodes } from './graphEdit';

/**
 * A VAE encoder exported with `latent_dist.sample()` ends in
 *
 *   moments → (Split | Slice) → mean, logvar → … → std = exp(0.5·logvar)
 *   RandomNormalLike (→ Cast)* → noise;  latent = mean + std · noise
 *
 * so every run gives another reference latent (and another reference bank). This rewrite makes
 * the encoder return the distribution's mean, found by structure: the random node, the Mul by
 * std, the Add of mean, where mean and std are both cut from the same moments tensor. The noise
 * and std branches are removed. Returns what it did, or null when the encoder has no sampling
 * (already deterministic); throws when a RandomNormalLike is there in a form it cannot prove is
 * the sampling step.
 */
export function vaeEncoderToMean(
  graph: onnx.IGraphProto,
  what = 'vae_encoder/model.onnx',
): string | null {
  const random = (graph.node ?? []).filter((n) =>
    ['RandomNormalLike', 'RandomNormal', 'RandomUniformLike', 'RandomUniform'].includes(
      n.opType ?? '',
    ),
  );
  if (random.length === 0) return null;
  if (random.length > 1)
    throw new Error(
      `${what} has ${random.length} random nodes; only one sampling step is understood`,
    );
  const index = new GraphIndex(graph);
  const refuse = (why: string) =>
    new Error(
      `${what}: ${random[0]!.name} ${why}, so the sampling step cannot be replaced by the mean`,
    );
  // Noise, through Casts, into the Mul by std.
  let noise = random[0]!.output![0]!;
  let users = index.users(noise);
  while (users.length === 1 && (users[0]!.opType === 'Cast' || users[0]!.opType === 'Identity')) {
    noise = users[0]!.output![0]!;
    users = index.users(noise);
  }
  const mul = users[0];
  if (users.length !== 1 || mul?.opType !== 'Mul') throw refuse('is not multiplied by a scale');
  const std = mul.input![0] === noise ? mul.input![1]! : mul.input![0]!;
  const addUsers = index.users(mul.output![0]!);
  const add = addUsers[0];
  if (addUsers.length !== 1 || add?.opType !== 'Add') throw refuse('is not added to a mean');
  const mean = add.input![0] === mul.output![0] ? add.input![1]! : add.input![0]!;
  const cut = index.producer.get(mean);
  if (!cut || !['Split', 'Slice', 'Gather'].includes(cut.opType ?? ''))
    throw refuse('is added to a tensor that is not cut from the moments');
  const moments = cut.input![0]!;
  if (!dependsOn(index, std, moments))
    throw refuse("is scaled by something not computed from the mean's moments");

  const latent = add.output![0]!;
  add.opType = 'Identity';
  add.input = [mean];
  add.attribute = [];
  add.name = `${add.name ?? 'Add'}/mean`;
  removeDeadNodes(graph);
  return `${what}: latent_dist.sample() → latent_dist.mean (${latent} = ${mean})`;
}

function dependsOn(index: GraphIndex, tensor: string, ancestor: string): boolean {
  const seen = new Set<string>();
  const stack = [tensor];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t === ancestor) return true;
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push(...(index.producer.get(t)?.input ?? []).filter((i) => i !== ''));
  }
  return false;
}
