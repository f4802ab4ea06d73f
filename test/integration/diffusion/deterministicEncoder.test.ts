import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { vaeEncoderToMean } from '#main/engine/diffusion/rewrite/vaeEncoderMean';
import { maxAbsDiff, SD15_TINY_REAL } from '#test/helpers/diffusion/sd15TinyReal';

/**
 * diffusers' export of `vae.encode(x).latent_dist.sample()` (the fixture's vae_encoder) draws new
 * noise on every run; after the rewrite the encoder returns the distribution's mean: the same
 * latent on every run, equal to the mean tensor inside the original graph.
 */
const file = join(SD15_TINY_REAL, 'diffusers-onnx/vae_encoder/model.onnx');
const image = () =>
  new ort.Tensor('float32', new SeededRandom(4).normals(3 * 64 * 64, 0.5), [1, 3, 64, 64]);

async function runTwice(bytes: Uint8Array, outputs: string[]) {
  const s = await ort.InferenceSession.create(bytes);
  try {
    return [await s.run({ sample: image() }, outputs), await s.run({ sample: image() }, outputs)];
  } finally {
    await s.release();
  }
}

describe('VAE encoder: latent_dist.sample() → mean', () => {
  it('the exported encoder samples (two runs differ); the rewritten one returns the mean every time', async () => {
    const original = readFileSync(file);
    const [a, b] = await runTwice(original, ['latent_sample']);
    expect(maxAbsDiff(a!['latent_sample']!, b!['latent_sample']!)).toBeGreaterThan(0.1);

    const model = onnxProto.ModelProto.decode(original);
    const change = vaeEncoderToMean(model.graph!);
    expect(change).toMatch(/latent_dist.sample\(\) → latent_dist.mean \(latent_sample = /);
    const mean = /= (.*)\)$/.exec(change!)![1]!;
    expect(model.graph!.node!.some((n) => n.opType === 'RandomNormalLike')).toBe(false);
    const [c, d] = await runTwice(onnxProto.ModelProto.encode(model).finish(), ['latent_sample']);
    expect(maxAbsDiff(c!['latent_sample']!, d!['latent_sample']!)).toBe(0);

    // The original graph's own mean tensor (made an output) is exactly what the rewrite returns.
    const probe = onnxProto.ModelProto.decode(original);
    probe.graph!.output!.push({ name: mean, type: { tensorType: { elemType: 1 } } });
    const [withMean] = await runTwice(onnxProto.ModelProto.encode(probe).finish(), [mean]);
    expect(maxAbsDiff(c!['latent_sample']!, withMean![mean]!)).toBe(0);
  });

  it('leaves a deterministic encoder alone and refuses noise it cannot prove is the sampling step', () => {
    const model = onnxProto.ModelProto.decode(readFileSync(file));
    const graph = model.graph!;
    vaeEncoderToMean(graph);
    expect(vaeEncoderToMean(graph)).toBeNull();

    const odd = onnxProto.ModelProto.decode(readFileSync(file)).graph!;
    // Noise added straight to the latent (no std scaling): not latent_dist.sample().
    const mul = odd.node!.find(
      (n) => n.opType === 'Mul' && n.input!.some((i) => i.includes('Cast')),
    )!;
    mul.opType = 'Add';
    expect(() => vaeEncoderToMean(odd)).toThrow(/RandomNormalLike is not multiplied by a scale/);
  });
});
