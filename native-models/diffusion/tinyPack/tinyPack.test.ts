import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { buildTinyPack } from './buildTinyPack';
import { tinyDownResiduals } from './tinyPackConfig';

let root: string;
let pack: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tiny-pack-'));
  pack = await buildTinyPack(join(root, 'pack'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function nodeNames(path: string): string[] {
  const model = onnxProto.ModelProto.decode(readFileSync(path));
  return (model.graph?.node ?? []).map((n) => n.name ?? '');
}

describe('tiny diffusers-layout pack', () => {
  it('has the standard folders and files', () => {
    for (const f of [
      'model_index.json',
      'text_encoder/model.onnx',
      'unet/model.onnx',
      'unet/model.onnx_data',
      'vae_encoder/model.onnx',
      'vae_decoder/model.onnx',
      'controlnet/model.onnx',
      'tokenizer/vocab.json',
      'tokenizer/merges.txt',
      'scheduler/scheduler_config.json',
    ])
      expect(existsSync(join(pack, f)), f).toBe(true);
  });

  it('keeps the UNet weights in the external data file', () => {
    const model = onnxProto.ModelProto.decode(readFileSync(join(pack, 'unet/model.onnx')));
    const external = (model.graph?.initializer ?? []).filter((t) => t.dataLocation === 1);
    expect(external.length).toBeGreaterThan(20);
    expect(external[0]!.externalData?.find((e) => e.key === 'location')?.value).toBe(
      'model.onnx_data',
    );
    const lengths = external.map((t) =>
      Number(t.externalData?.find((e) => e.key === 'length')?.value),
    );
    expect(statSync(join(pack, 'unet/model.onnx_data')).size).toBeGreaterThanOrEqual(
      lengths.reduce((a, b) => a + b),
    );
  });

  it('names self-attention nodes as diffusers/optimum exports do', () => {
    const names = nodeNames(join(pack, 'unet/model.onnx'));
    for (const block of [
      '/down_blocks.0/attentions.0',
      '/mid_block/attentions.0',
      '/up_blocks.1/attentions.0',
      '/up_blocks.1/attentions.1',
    ])
      for (const op of ['to_q/MatMul', 'to_k/MatMul', 'to_v/MatMul', 'to_out.0/MatMul'])
        expect(names).toContain(`${block}/transformer_blocks.0/attn1/${op}`);
    expect(names.filter((n) => /\/attn1\/Softmax$/.test(n))).toHaveLength(4);
    expect(names.filter((n) => /\/attn2\/to_k\/MatMul$/.test(n))).toHaveLength(4);
  });

  it('runs every model with the standard signatures', async () => {
    const unet = await ort.InferenceSession.create(join(pack, 'unet/model.onnx'));
    expect(unet.inputNames.slice(0, 3)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
    expect(unet.outputNames).toEqual(['out_sample']);
    const cn = await ort.InferenceSession.create(join(pack, 'controlnet/model.onnx'));
    expect(cn.inputNames).toEqual([
      'sample',
      'timestep',
      'encoder_hidden_states',
      'controlnet_cond',
      'conditioning_scale',
    ]);
    const latent = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)),
      [1, 4, 8, 8],
    );
    const t = new ort.Tensor('float32', Float32Array.from([500]), [1]);
    const text = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 77 * 16 }, (_, i) => Math.cos(i)),
      [1, 77, 16],
    );
    const cond = new ort.Tensor('float32', new Float32Array(3 * 64 * 64).fill(0.5), [1, 3, 64, 64]);
    const res = await cn.run({
      sample: latent,
      timestep: t,
      encoder_hidden_states: text,
      controlnet_cond: cond,
      conditioning_scale: new ort.Tensor('float32', Float32Array.from([1]), []),
    });
    tinyDownResiduals.forEach((r, i) =>
      expect(res[`down_block_res_sample_${i}`]!.dims).toEqual([1, r.channels, r.size, r.size]),
    );
    const out = await unet.run({
      sample: latent,
      timestep: t,
      encoder_hidden_states: text,
      ...Object.fromEntries(
        tinyDownResiduals.map((_, i) => [
          `down_block_additional_residual_${i}`,
          res[`down_block_res_sample_${i}`]!,
        ]),
      ),
      mid_block_additional_residual: res['mid_block_res_sample']!,
    });
    const values = out['out_sample']!.data as Float32Array;
    expect(out['out_sample']!.dims).toEqual([1, 4, 8, 8]);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('is deterministic for a seed and differs for another', async () => {
    const again = await buildTinyPack(join(root, 'again'));
    const other = await buildTinyPack(join(root, 'other'), { seed: 99 });
    const bytes = (p: string) => readFileSync(join(p, 'unet/model.onnx_data'));
    expect(bytes(again).equals(bytes(pack))).toBe(true);
    expect(bytes(other).equals(bytes(pack))).toBe(false);
  });

  it('builds the weights.pb and fused-attention variants, both runnable', async () => {
    const variant = await buildTinyPack(join(root, 'fused'), {
      unetWeightsFile: 'weights.pb',
      unet: { fusedSelfAttention: true, controlnetResiduals: false, timestepType: 'int64' },
      withoutControlnet: true,
    });
    expect(existsSync(join(variant, 'unet/weights.pb'))).toBe(true);
    expect(existsSync(join(variant, 'controlnet'))).toBe(false);
    const unet = await ort.InferenceSession.create(join(variant, 'unet/model.onnx'));
    expect(unet.inputNames).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
    const out = await unet.run({
      sample: new ort.Tensor('float32', new Float32Array(256).fill(0.1), [1, 4, 8, 8]),
      timestep: new ort.Tensor('int64', BigInt64Array.from([10n]), [1]),
      encoder_hidden_states: new ort.Tensor(
        'float32',
        new Float32Array(77 * 16).fill(0.2),
        [1, 77, 16],
      ),
    });
    expect(out['out_sample']!.dims).toEqual([1, 4, 8, 8]);
    expect(nodeNames(join(variant, 'unet/model.onnx'))).toContain(
      '/down_blocks.0/attentions.0/transformer_blocks.0/attn1/MultiHeadAttention',
    );
  });
});
