import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { decodeModel } from '#main/engine/diffusion/rewrite/graphEdit';
import { tileSelfAttentions } from '#main/engine/diffusion/surgery/tiledAttention';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { maxAbs, maxAbsDiff, SD15_TINY_REAL } from '#test/helpers/diffusion/sd15TinyReal';

/**
 * Tiling a model's self-attention into MultiHeadAttention (surgery/tiledAttention.ts) on the
 * real diffusers export of a ControlNet (openPack tiles it when a pack opens): the same 13
 * residuals within float rounding, and only what is provably plain attention is touched.
 */
const provider = new LocalSessionProvider();
const CONTROLNET = join(SD15_TINY_REAL, 'controlnet-openpose-onnx/controlnet/model.onnx');

function controlnetFeeds(): Record<string, ort.Tensor> {
  const t = (dims: number[], seed: number, scale = 1) =>
    new ort.Tensor(
      'float32',
      frameNoise(
        seed,
        0,
        dims.reduce((a, b) => a * b),
        scale,
      ),
      dims,
    );
  return {
    sample: t([2, 4, 8, 8], 1),
    timestep: new ort.Tensor('float32', new Float32Array([601, 601]), [2]),
    encoder_hidden_states: t([2, 77, 32], 2, 0.5),
    controlnet_cond: t([2, 3, 64, 64], 3, 0.5),
    conditioning_scale: new ort.Tensor('float32', new Float32Array([1]), []),
  };
}

describe('tiled attention', () => {
  it('the real ControlNet export, tiled: 7 self-attentions changed, the same residuals (≤ 1e-4)', async () => {
    const model = decodeModel(readFileSync(CONTROLNET), 'controlnet/model.onnx');
    const changes = tileSelfAttentions(model);
    // 6 in the down blocks + 1 in the mid block; cross-attention (text keys) is left alone.
    expect(changes).toEqual([
      'self-attention: 7 unfused MatMul/Softmax tiled into MultiHeadAttention',
    ]);
    const ops = (model.graph!.node ?? []).map((n) => n.opType);
    expect(ops.filter((o) => o === 'MultiHeadAttention')).toHaveLength(7);
    expect(ops.filter((o) => o === 'Softmax')).toHaveLength(7);
    const tiled = await provider.open({
      kind: 'bytes',
      bytes: onnxProto.ModelProto.encode(model).finish(),
      externalDataDir: dirname(CONTROLNET),
      label: 'controlnet (tiled)',
    });
    const plain = await ort.InferenceSession.create(CONTROLNET);
    try {
      const feeds = controlnetFeeds();
      const a = await plain.run(feeds);
      const b = await tiled.run(feeds);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      let worst = 0;
      for (const name of Object.keys(a)) worst = Math.max(worst, maxAbsDiff(a[name]!, b[name]!));
      console.log(`ControlNet tiled vs exported: max abs diff ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-4);
      expect(maxAbs(a['mid_block_additional_residual']!)).toBeGreaterThan(1e-3);
    } finally {
      await tiled.release();
      await plain.release();
    }
  });

  it('masked attention is not plain attention: the text encoder (causal mask) is left unchanged', () => {
    const model = decodeModel(
      readFileSync(join(SD15_TINY_REAL, 'diffusers-onnx/text_encoder/model.onnx')),
      'text_encoder',
    );
    expect((model.graph!.node ?? []).filter((n) => n.opType === 'Softmax').length).toBeGreaterThan(
      0,
    );
    const before = onnxProto.ModelProto.encode(model).finish();
    expect(tileSelfAttentions(model)).toEqual([]);
    // Byte for byte (Buffer.equals: a deep equality of 6.5 MB would take most of a minute).
    expect(
      Buffer.from(onnxProto.ModelProto.encode(model).finish()).equals(Buffer.from(before)),
    ).toBe(true);
  });
});
