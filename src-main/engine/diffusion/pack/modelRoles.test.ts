import { describe, expect, it } from 'vitest';
import { recogniseModel } from './modelRoles';
import type { ModelSignature, TensorSignature } from './signatures';

const t = (name: string, type: string, shape: (number | string)[]): TensorSignature => ({
  name,
  type,
  shape,
});
const latent = t('sample', 'float32', ['b', 4, 'h', 'w']);
const timestep = t('timestep', 'float32', ['b']);
const text = t('encoder_hidden_states', 'float32', ['b', 77, 768]);
const cond = t('controlnet_cond', 'float32', ['b', 3, 'H', 'W']);
const res = (name: string) => t(name, 'float32', ['b', 'c', 'h', 'w']);

describe('models are recognised by structure; names only order what structure found', () => {
  it('a ControlNet that names only some outputs: declaration order, mid by name', () => {
    const outputs = [
      res('down_block_res_samples'),
      ...Array.from({ length: 11 }, (_, i) => res(`onnx::Mul_${900 + i}`)),
      res('mid_block_res_sample'),
    ];
    const r = recogniseModel({ inputs: [latent, timestep, text, cond], outputs }, 'cn/model.onnx');
    expect(r.role).toBe('controlnet');
    if (r.role !== 'controlnet') return;
    expect(r.signature.residuals.down).toEqual(outputs.slice(0, 12).map((o) => o.name));
    expect(r.signature.residuals.mid).toBe('mid_block_res_sample');
    expect(r.signature.conditioningScale).toBeNull();
  });

  it('residual inputs of every known naming are put in block order', () => {
    for (const name of [
      (i: number) => `down_block_${i}_additional_residual`,
      (i: number) => `down_block_additional_residual_${i}`,
      (i: number) => `controlnet_downblock${i}`,
    ]) {
      const shuffled = [3, 0, 11, 1, 2, 4, 5, 6, 7, 8, 9, 10].map((i) => res(name(i)));
      const r = recogniseModel(
        {
          inputs: [latent, timestep, text, ...shuffled, res('mid_block_additional_residual')],
          outputs: [t('out_sample', 'float32', ['b', 4, 'h', 'w'])],
        },
        'unet/model.onnx',
      );
      if (r.role !== 'unet') throw new Error('not a UNet');
      expect(r.signature.residuals?.down).toEqual(Array.from({ length: 12 }, (_, i) => name(i)));
    }
  });

  it("optimum's VAE encoder (latent_parameters, 8 channels) and symbolic-dim VAE halves", () => {
    const enc = recogniseModel(
      {
        inputs: [t('sample', 'float32', ['b', 3, 'H', 'W'])],
        outputs: [t('latent_parameters', 'float32', ['b', 8, 'h', 'w'])],
      },
      'vae_encoder/model.onnx',
    );
    expect(enc).toMatchObject({ role: 'vae_encoder', signature: { parameters: true } });
    const symbolic: ModelSignature = {
      inputs: [t('x', 'float32', ['a', 'b', 'c', 'd'])],
      outputs: [t('y', 'float32', ['e', 'f', 'g', 'h'])],
    };
    expect(recogniseModel(symbolic, 'vae_decoder/model.onnx', 'vae_decoder').role).toBe(
      'vae_decoder',
    );
    expect(() => recogniseModel(symbolic, 'x/model.onnx')).toThrow(
      /is not a Stable Diffusion model Pose Studio knows \(inputs x float32\[a,b,c,d\]/,
    );
  });

  it('refuses SDXL and inpainting UNets, saying what they are', () => {
    const out = [t('out_sample', 'float32', ['b', 4, 'h', 'w'])];
    expect(() =>
      recogniseModel(
        {
          inputs: [
            latent,
            timestep,
            text,
            t('text_embeds', 'float32', ['b', 1280]),
            t('time_ids', 'float32', ['b', 6]),
          ],
          outputs: out,
        },
        'unet/model.onnx',
      ),
    ).toThrow(/an SDXL UNet/);
    expect(() =>
      recogniseModel(
        { inputs: [t('sample', 'float32', ['b', 9, 'h', 'w']), timestep, text], outputs: out },
        'unet/model.onnx',
      ),
    ).toThrow(/9-channel latents \(an inpainting UNet\)/);
  });
});
