import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '#native-models/diffusion/tinyPack/graphBuilder';
import { linear } from '#native-models/diffusion/tinyPack/unetBlocks';
import { onnxProto } from '#native-models/onnxProto';
import { decodeModel } from '#main/engine/diffusion/rewrite/graphEdit';
import { tileSelfAttentions } from '#main/engine/diffusion/surgery/tiledAttention';
import { frameNoise, SeededRandom } from '#shared/diffusion/noise/seededNoise';
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

/**
 * torch 2's SDPA export: Q and K each scaled by √(1/√d), computed from Q's shape (Shape → Slice →
 * Cast → Sqrt → Div → Sqrt), no bias; and the same with a real (non-zero) mask added.
 */
function sdpaAttention(masked: boolean): onnx.ModelProto {
  const g = new GraphBuilder(new SeededRandom(7));
  const path = '/down_blocks.0/attentions.0/transformer_blocks.0/attn1';
  const x = g.input('x', 'float32', ['batch', 'tokens', 8]);
  const [q, k, v] = ['q', 'k', 'v'].map((n) => linear(g, `${path}/to_${n}`, x, 8, 8, false));
  const split = (t: string, name: string) =>
    g.op(
      'Transpose',
      `${path}/Transpose_${name}`,
      [g.op('Reshape', `${path}/Reshape_${name}`, [t, g.int64s([0, -1, 2, 4])])],
      { perm: [0, 2, 1, 3] },
    );
  const qh = split(q!, 'q');
  const kh = split(k!, 'k');
  const vh = split(v!, 'v');
  const d = g.op(
    'Cast',
    `${path}/Cast`,
    [
      g.op('Slice', `${path}/Slice`, [
        g.op('Shape', `${path}/Shape`, [qh]),
        g.int64s([-1]),
        g.int64s([9]),
      ]),
    ],
    { to: 1 },
  );
  const scale = g.op('Div', `${path}/Div`, [g.scalar(1), g.op('Sqrt', `${path}/Sqrt`, [d])]);
  const root = g.op('Sqrt', `${path}/Sqrt_1`, [scale]);
  const qs = g.op('Mul', `${path}/Mul`, [qh, root]);
  const kt = g.op('Transpose', `${path}/Transpose_kt`, [kh], { perm: [0, 1, 3, 2] });
  const ks = g.op('Mul', `${path}/Mul_1`, [kt, root]);
  let scores = g.op('MatMul', `${path}/MatMul`, [qs, ks]);
  if (masked)
    scores = g.op('Add', `${path}/Add_mask`, [
      scores,
      g.input('mask', 'float32', [1, 1, 'tokens', 'tokens']),
    ]);
  const probs = g.op('Softmax', `${path}/Softmax`, [scores], { axis: -1 });
  const mixed = g.op('MatMul', `${path}/MatMul_1`, [probs, vh]);
  const merged = g.op('Reshape', `${path}/Reshape_out`, [
    g.op('Transpose', `${path}/Transpose_out`, [mixed], { perm: [0, 2, 1, 3] }),
    g.int64s([0, -1, 8]),
  ]);
  g.output(linear(g, `${path}/to_out.0`, merged, 8, 8), 'float32', ['batch', 'tokens', 8]);
  return g.toModel('sdpa attention');
}

describe('tiled attention on a torch 2 SDPA export', () => {
  const run = async (model: onnx.ModelProto, feeds: Record<string, ort.Tensor>) => {
    const s = await ort.InferenceSession.create(onnxProto.ModelProto.encode(model).finish());
    try {
      return Object.values(await s.run(feeds))[0]!;
    } finally {
      await s.release();
    }
  };
  const x = new ort.Tensor('float32', frameNoise(4, 0, 2 * 16 * 8, 1), [2, 16, 8]);

  it('the computed default scale is read as the default: same output (≤ 1e-5)', async () => {
    const plain = sdpaAttention(false);
    const tiled = sdpaAttention(false);
    expect(tileSelfAttentions(tiled)).toHaveLength(1);
    const mha = tiled.graph!.node!.find((n) => n.opType === 'MultiHeadAttention')!;
    expect(mha.attribute!.map((a) => a.name)).toEqual(['num_heads']);
    const a = await run(plain, { x });
    const b = await run(tiled, { x });
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
    expect(maxAbs(a)).toBeGreaterThan(1e-2);
  });

  it('a mask added to the scores is not plain attention: left as exported', () => {
    const model = sdpaAttention(true);
    expect(tileSelfAttentions(model)).toEqual([]);
    expect(model.graph!.node!.some((n) => n.opType === 'Softmax')).toBe(true);
  });
});
