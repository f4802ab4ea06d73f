import { PackError } from './packError';

/** An input or output as ONNX Runtime reports it (symbolic dims are strings). */
export interface TensorSignature {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}
export interface ModelSignature {
  inputs: readonly TensorSignature[];
  outputs: readonly TensorSignature[];
}

export type FloatType = 'float32' | 'float16';
export interface TextEncoderSignature {
  idsType: 'int32' | 'int64';
  textDim: number | null;
}
export interface ResidualNames {
  /** In block order (index 0 = conv_in output). */
  down: string[];
  mid: string;
}
export interface UnetSignature {
  floatType: FloatType;
  timestepType: 'float32' | 'float16' | 'int64';
  /** Rank of the timestep input: 1 ([batch]) or 0 (one scalar for the batch). */
  timestepRank: 0 | 1;
  textDim: number | null;
  /** Inputs for ControlNet residuals, when this UNet was exported to accept them. */
  residuals: ResidualNames | null;
}
export interface ControlnetSignature {
  floatType: FloatType;
  timestepType: UnetSignature['timestepType'];
  timestepRank: 0 | 1;
  residuals: ResidualNames;
  /** conditioning_scale input and its rank, if the export has one. */
  conditioningScale: { rank: number } | null;
}
export interface VaeEncoderSignature {
  /** `latent_sample` (4 channels) or optimum's `latent_parameters` (mean and log-variance, 8). */
  output: string;
  parameters: boolean;
  inputType: FloatType;
}
export interface VaeDecoderSignature {
  inputType: FloatType;
}

const floatTypes = ['float32', 'float16'];

/** A missing or mis-typed tensor, described with what the export should have. */
function need(
  component: string,
  list: readonly TensorSignature[],
  kind: 'input' | 'output',
  name: string,
  types: readonly string[],
  rank: number | readonly number[],
): TensorSignature {
  const found = list.find((t) => t.name === name);
  const names = list.map((t) => t.name).join(', ') || 'none';
  if (!found)
    throw new PackError(
      `${component}/model.onnx has no ${kind} "${name}" (its ${kind}s: ${names}) — not a standard diffusers/optimum export`,
      component,
    );
  if (!types.includes(found.type))
    throw new PackError(
      `${component}/model.onnx ${kind} "${name}" is ${found.type}, expected ${types.join(' or ')}`,
      component,
    );
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (found.shape.length > 0 && !ranks.includes(found.shape.length))
    throw new PackError(
      `${component}/model.onnx ${kind} "${name}" has rank ${found.shape.length}, expected ${ranks.join(' or ')}`,
      component,
    );
  return found;
}

function staticDim(t: TensorSignature, axis: number): number | null {
  const d = t.shape[axis];
  return typeof d === 'number' && d > 0 ? d : null;
}

function expectChannels(component: string, t: TensorSignature, channels: number): void {
  const c = staticDim(t, 1);
  if (c !== null && c !== channels)
    throw new PackError(
      `${component}/model.onnx "${t.name}" has ${c} channels, expected ${channels}`,
      component,
    );
}

/** Residual tensors by name: `down_block…<i>` sorted by i, plus one `mid_block…`. */
function residualNames(
  component: string,
  list: readonly TensorSignature[],
  prefixes: { down: RegExp; mid: RegExp },
): ResidualNames | null {
  const down = list
    .map((t) => ({ name: t.name, m: prefixes.down.exec(t.name) }))
    .filter((x) => x.m)
    .map((x) => ({ name: x.name, index: Number(x.m![1]) }))
    .sort((a, b) => a.index - b.index);
  const mid = list.filter((t) => prefixes.mid.test(t.name));
  if (down.length === 0 && mid.length === 0) return null;
  if (mid.length !== 1)
    throw new PackError(
      `${component}/model.onnx has down-block residuals but ${mid.length} mid-block residuals`,
      component,
    );
  down.forEach((d, i) => {
    if (d.index !== i)
      throw new PackError(
        `${component}/model.onnx: down-block residual ${i} is missing (found ${down.map((x) => x.name).join(', ')})`,
        component,
      );
  });
  return { down: down.map((d) => d.name), mid: mid[0]!.name };
}

// `…_<i>` (diffusers/optimum) or `down_block_<i>_additional_residual` (Amuse/OnnxStack, and
// what tools/pack-export writes)
const residualInputs = {
  down: /^(?:down_block|controlnet_downblock)\D*?(\d+)(?:_additional_residual)?$/,
  mid: /^(?:mid_block|controlnet_midblock)/,
};

export function checkTextEncoder(sig: ModelSignature): TextEncoderSignature {
  const ids = need('text_encoder', sig.inputs, 'input', 'input_ids', ['int32', 'int64'], 2);
  const hidden = need('text_encoder', sig.outputs, 'output', 'last_hidden_state', floatTypes, 3);
  return { idsType: ids.type as 'int32' | 'int64', textDim: staticDim(hidden, 2) };
}

export function checkUnet(sig: ModelSignature): UnetSignature {
  const sample = need('unet', sig.inputs, 'input', 'sample', floatTypes, 4);
  expectChannels('unet', sample, 4);
  const timestep = need(
    'unet',
    sig.inputs,
    'input',
    'timestep',
    ['float32', 'float16', 'int64'],
    [0, 1],
  );
  const text = need('unet', sig.inputs, 'input', 'encoder_hidden_states', floatTypes, 3);
  const out = need('unet', sig.outputs, 'output', 'out_sample', floatTypes, 4);
  expectChannels('unet', out, 4);
  const known = new Set(['sample', 'timestep', 'encoder_hidden_states']);
  const residuals = residualNames(
    'unet',
    sig.inputs.filter((t) => !known.has(t.name)),
    residualInputs,
  );
  const unknown = sig.inputs.filter(
    (t) => !known.has(t.name) && !residuals?.down.includes(t.name) && residuals?.mid !== t.name,
  );
  if (unknown.length > 0)
    throw new PackError(
      `unet/model.onnx has inputs Pose Studio does not know how to feed: ${unknown.map((t) => t.name).join(', ')}`,
      'unet',
    );
  return {
    floatType: sample.type as FloatType,
    timestepType: timestep.type as UnetSignature['timestepType'],
    timestepRank: timestep.shape.length === 0 ? 0 : 1,
    textDim: staticDim(text, 2),
    residuals,
  };
}

export function checkControlnet(sig: ModelSignature): ControlnetSignature {
  const sample = need('controlnet', sig.inputs, 'input', 'sample', floatTypes, 4);
  const timestep = need(
    'controlnet',
    sig.inputs,
    'input',
    'timestep',
    ['float32', 'float16', 'int64'],
    [0, 1],
  );
  need('controlnet', sig.inputs, 'input', 'encoder_hidden_states', floatTypes, 3);
  const cond = need('controlnet', sig.inputs, 'input', 'controlnet_cond', floatTypes, 4);
  expectChannels('controlnet', cond, 3);
  const scale = sig.inputs.find((t) => t.name === 'conditioning_scale');
  const residuals = residualNames('controlnet', sig.outputs, {
    down: /^down_block\D*?(\d+)(?:_additional_residual)?$/,
    mid: /^mid_block/,
  });
  if (!residuals)
    throw new PackError(
      `controlnet/model.onnx outputs no down/mid block residuals (outputs: ${sig.outputs.map((t) => t.name).join(', ')})`,
      'controlnet',
    );
  return {
    floatType: sample.type as FloatType,
    timestepType: timestep.type as UnetSignature['timestepType'],
    timestepRank: timestep.shape.length === 0 ? 0 : 1,
    residuals,
    conditioningScale: scale ? { rank: scale.shape.length } : null,
  };
}

export function checkVaeEncoder(sig: ModelSignature): VaeEncoderSignature {
  const input = need('vae_encoder', sig.inputs, 'input', 'sample', floatTypes, 4);
  const inputType = input.type as FloatType;
  const parameters = sig.outputs.find((t) => t.name === 'latent_parameters');
  if (parameters) {
    expectChannels('vae_encoder', parameters, 8);
    return { output: parameters.name, parameters: true, inputType };
  }
  const latent = need('vae_encoder', sig.outputs, 'output', 'latent_sample', floatTypes, 4);
  expectChannels('vae_encoder', latent, 4);
  return { output: latent.name, parameters: false, inputType };
}

export function checkVaeDecoder(sig: ModelSignature): VaeDecoderSignature {
  const input = need('vae_decoder', sig.inputs, 'input', 'latent_sample', floatTypes, 4);
  expectChannels('vae_decoder', input, 4);
  expectChannels(
    'vae_decoder',
    need('vae_decoder', sig.outputs, 'output', 'sample', floatTypes, 4),
    3,
  );
  return { inputType: input.type as FloatType };
}

/** Cross-component agreement: text width, and one UNet residual input per ControlNet output. */
export function checkPackAgreement(
  text: TextEncoderSignature,
  unet: UnetSignature,
  controlnet: ControlnetSignature | null,
): void {
  if (text.textDim !== null && unet.textDim !== null && text.textDim !== unet.textDim)
    throw new PackError(
      `text_encoder produces ${text.textDim}-wide embeddings but unet expects ${unet.textDim}: components from different model families`,
      'unet',
    );
  if (!controlnet) return;
  if (!unet.residuals)
    throw new PackError(
      'the pack has a controlnet/ but unet/model.onnx takes no ControlNet residuals: export the UNet with down/mid block additional residual inputs',
      'unet',
    );
  if (unet.residuals.down.length !== controlnet.residuals.down.length)
    throw new PackError(
      `controlnet/ outputs ${controlnet.residuals.down.length} down-block residuals but unet/ takes ${unet.residuals.down.length}`,
      'controlnet',
    );
}
