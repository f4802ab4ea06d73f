import { PackError } from './packError';
import type {
  ControlnetSignature,
  FloatType,
  ModelRole,
  ModelSignature,
  RecognisedModel,
  ResidualNames,
  TensorSignature,
  TextEncoderSignature,
  TimestepType,
  UnetSignature,
  VaeDecoderSignature,
  VaeEncoderSignature,
} from './signatures';

/**
 * Which model a file is, from its inputs and outputs (ranks, element types, channel counts),
 * not from its folder or tensor names: published packs put a ControlNet-aware UNet in
 * `controlnet/` (OnnxStack), name residuals four different ways, and leave ControlNet outputs
 * unnamed. Names are used only to order what structure found (residual indices, which output is
 * the mid block) and to break a tie the shapes leave open (two VAE halves with symbolic dims);
 * `folder` is the last tie-breaker.
 */
export function recogniseModel(
  sig: ModelSignature,
  where: string,
  folder?: ModelRole,
): RecognisedModel {
  const floats4in = sig.inputs.filter((t) => isFloat(t) && t.shape.length === 4);
  const floats4out = sig.outputs.filter((t) => isFloat(t) && t.shape.length === 4);
  const ids = sig.inputs.filter((t) => isInt(t) && t.shape.length === 2);
  const text3 = sig.inputs.filter((t) => isFloat(t) && t.shape.length === 3);

  if (ids.length >= 1 && sig.outputs.some((t) => isFloat(t) && t.shape.length === 3))
    return { role: 'text_encoder', signature: textEncoder(sig, where) };
  if (text3.length === 1 && floats4in.length >= 1) {
    const cond = controlImage(floats4in);
    if (cond && floats4out.length >= 2)
      return { role: 'controlnet', signature: controlnet(sig, cond, where) };
    if (floats4out.length === 1) return { role: 'unet', signature: unet(sig, where) };
  }
  if (floats4in.length === 1 && sig.inputs.length === 1 && floats4out.length >= 1) {
    const role = vaeHalf(floats4in[0]!, floats4out, folder);
    if (role === 'vae_decoder')
      return { role, signature: vaeDecoder(floats4in[0]!, floats4out[0]!) };
    if (role === 'vae_encoder')
      return { role, signature: vaeEncoder(floats4in[0]!, floats4out, where) };
  }
  throw new PackError(
    `${where} is not a Stable Diffusion model Pose Studio knows (inputs ${list(sig.inputs)}; outputs ${list(sig.outputs)})`,
    where,
  );
}

const floatTypes: readonly string[] = ['float32', 'float16'];
const isFloat = (t: TensorSignature) => floatTypes.includes(t.type);
const isInt = (t: TensorSignature) => t.type === 'int32' || t.type === 'int64';
const channels = (t: TensorSignature) => staticDim(t, 1);
const list = (ts: readonly TensorSignature[]) =>
  ts.map((t) => `${t.name} ${t.type}[${t.shape.join(',')}]`).join(', ') || 'none';

function staticDim(t: TensorSignature, axis: number): number | null {
  const d = t.shape[axis];
  return typeof d === 'number' && d > 0 ? d : null;
}

/** The pose-image input of a ControlNet: 3 channels, or named as diffusers/OnnxStack name it. */
function controlImage(floats4: readonly TensorSignature[]): TensorSignature | null {
  return (
    floats4.find((t) => channels(t) === 3) ??
    floats4.find((t) => /cond|hint|control/i.test(t.name) && channels(t) !== 4) ??
    null
  );
}

function textEncoder(sig: ModelSignature, where: string): TextEncoderSignature {
  const ids = sig.inputs.find((t) => t.name === 'input_ids') ?? sig.inputs.find(isInt)!;
  const others = sig.inputs.filter((t) => t !== ids);
  if (others.length > 0)
    throw new PackError(
      `${where} is a text encoder that also needs ${list(others)}: Pose Studio feeds token ids only`,
      where,
    );
  const float3 = sig.outputs.filter((t) => isFloat(t) && t.shape.length === 3);
  const hidden = float3.find((t) => t.name === 'last_hidden_state') ?? float3[0]!;
  return {
    idsType: ids.type as 'int32' | 'int64',
    textDim: staticDim(hidden, 2),
    idsName: ids.name,
    hiddenName: hidden.name,
  };
}

function timestepOf(sig: ModelSignature, where: string): TensorSignature {
  const candidates = sig.inputs.filter(
    (t) =>
      t.shape.length <= 1 && (isFloat(t) || t.type === 'int64') && t.name !== 'conditioning_scale',
  );
  const t = candidates.find((c) => c.name === 'timestep') ?? candidates[0];
  if (!t) throw new PackError(`${where} has no timestep input (inputs ${list(sig.inputs)})`, where);
  return t;
}

function requireStandardName(where: string, found: TensorSignature, expected: string): void {
  // The bank surgery and the pipeline feed the UNet/ControlNet core inputs by these names; every
  // published SD1.5 export (diffusers, optimum, OnnxStack/Amuse, Olive) uses them.
  if (found.name !== expected)
    throw new PackError(
      `${where}: its ${expected} input is named "${found.name}"; Pose Studio needs the diffusers name "${expected}" (re-export with pose-studio pack export)`,
      where,
    );
}

function unet(sig: ModelSignature, where: string): UnetSignature {
  const floats4 = sig.inputs.filter((t) => isFloat(t) && t.shape.length === 4);
  const sample = floats4.find((t) => t.name === 'sample') ?? floats4[0]!;
  const c = channels(sample);
  if (c !== null && c !== 4)
    throw new PackError(
      `${where} takes ${c}-channel latents${c === 9 ? ' (an inpainting UNet)' : ''}: Pose Studio needs a 4-channel SD1.5 UNet`,
      where,
    );
  const timestep = timestepOf(sig, where);
  const text = sig.inputs.find((t) => isFloat(t) && t.shape.length === 3)!;
  const out = sig.outputs.find((t) => isFloat(t) && t.shape.length === 4)!;
  for (const [t, name] of [
    [sample, 'sample'],
    [timestep, 'timestep'],
    [text, 'encoder_hidden_states'],
  ] as const)
    requireStandardName(where, t, name);
  if (out.name !== 'out_sample')
    throw new PackError(
      `${where}: its output is named "${out.name}"; Pose Studio needs "out_sample"`,
      where,
    );
  const residualInputs = floats4.filter((t) => t !== sample);
  const unknown = sig.inputs.filter(
    (t) => t !== sample && t !== timestep && t !== text && !residualInputs.includes(t),
  );
  if (unknown.length > 0)
    throw new PackError(
      `${where} has inputs Pose Studio does not know how to feed: ${list(unknown)}${
        unknown.some((t) => /text_embeds|time_ids/.test(t.name))
          ? ' (an SDXL UNet: Pose Studio runs SD1.5-family packs)'
          : ''
      }`,
      where,
    );
  return {
    floatType: sample.type as FloatType,
    timestepType: timestep.type as TimestepType,
    timestepRank: timestep.shape.length === 0 ? 0 : 1,
    textDim: staticDim(text, 2),
    residuals: residualInputs.length > 0 ? residualOrder(residualInputs, where, 'input') : null,
  };
}

function controlnet(
  sig: ModelSignature,
  cond: TensorSignature,
  where: string,
): ControlnetSignature {
  const floats4 = sig.inputs.filter((t) => isFloat(t) && t.shape.length === 4 && t !== cond);
  const sample = floats4.find((t) => t.name === 'sample') ?? floats4[0]!;
  const timestep = timestepOf(sig, where);
  const text = sig.inputs.find((t) => isFloat(t) && t.shape.length === 3)!;
  for (const [t, name] of [
    [sample, 'sample'],
    [timestep, 'timestep'],
    [text, 'encoder_hidden_states'],
  ] as const)
    requireStandardName(where, t, name);
  const scale = sig.inputs.find(
    (t) => t.name === 'conditioning_scale' || (/scale/i.test(t.name) && t.shape.length <= 1),
  );
  const known = new Set([sample, timestep, text, cond, scale]);
  const unknown = sig.inputs.filter((t) => !known.has(t));
  if (unknown.length > 0)
    throw new PackError(
      `${where} is a ControlNet with inputs Pose Studio does not know how to feed: ${list(unknown)}`,
      where,
    );
  const outputs = sig.outputs.filter((t) => isFloat(t) && t.shape.length === 4);
  return {
    floatType: sample.type as FloatType,
    timestepType: timestep.type as TimestepType,
    timestepRank: timestep.shape.length === 0 ? 0 : 1,
    condName: cond.name,
    residuals: residualOrder(outputs, where, 'output'),
    conditioningScale: scale ? { rank: scale.shape.length } : null,
  };
}

/**
 * Residual tensors in block order. Names of the known layouts carry the index
 * (`down_block_additional_residual_3` diffusers/optimum, `down_block_3_additional_residual`
 * Amuse/OnnxStack, `down_block_res_sample_3`, `controlnet_downblock3`); when they do not all
 * (ControlNets that name only a few outputs, the rest `onnx::…`), the declaration order of the
 * export is the block order — torch.onnx exports outputs in the order forward() returns them.
 * The mid-block residual is the one whose name says `mid`, else the last.
 */
function residualOrder(
  tensors: readonly TensorSignature[],
  where: string,
  kind: 'input' | 'output',
): ResidualNames {
  const mids = tensors.filter((t) => /mid/i.test(t.name));
  if (mids.length > 1)
    throw new PackError(
      `${where} has ${mids.length} mid-block residual ${kind}s (${mids.map((t) => t.name).join(', ')})`,
      where,
    );
  const mid = mids[0] ?? tensors[tensors.length - 1]!;
  const down = tensors.filter((t) => t !== mid);
  if (down.length === 0)
    throw new PackError(`${where} has a mid-block residual ${kind} but no down-block ones`, where);
  const indexed = down.map((t) => ({ t, i: residualIndex(t.name) }));
  const complete =
    indexed.every((x) => x.i !== null) &&
    new Set(indexed.map((x) => x.i)).size === down.length &&
    indexed.every((x) => x.i! < down.length);
  const ordered = complete ? [...indexed].sort((a, b) => a.i! - b.i!).map((x) => x.t) : down;
  return { down: ordered.map((t) => t.name), mid: mid.name };
}

function residualIndex(name: string): number | null {
  const m = /down_?block\D*?(\d+)/i.exec(name) ?? /(\d+)\D*$/.exec(name);
  return m ? Number(m[1]) : null;
}

function vaeHalf(
  input: TensorSignature,
  outputs: readonly TensorSignature[],
  folder?: ModelRole,
): 'vae_encoder' | 'vae_decoder' | null {
  const out = outputs[0]!;
  const inC = channels(input);
  const outC = channels(out);
  if (outC === 3 || inC === 4 || /latent/i.test(input.name)) return 'vae_decoder';
  if (inC === 3 || outC === 4 || outC === 8 || outputs.some((o) => /latent/i.test(o.name)))
    return 'vae_encoder';
  return folder === 'vae_encoder' || folder === 'vae_decoder' ? folder : null;
}

function vaeDecoder(input: TensorSignature, out: TensorSignature): VaeDecoderSignature {
  return { inputName: input.name, outputName: out.name, inputType: input.type as FloatType };
}

function vaeEncoder(
  input: TensorSignature,
  outputs: readonly TensorSignature[],
  where: string,
): VaeEncoderSignature {
  const parameters =
    outputs.find((t) => t.name === 'latent_parameters') ?? outputs.find((t) => channels(t) === 8);
  if (parameters)
    return {
      inputName: input.name,
      output: parameters.name,
      parameters: true,
      inputType: input.type as FloatType,
    };
  const latent = outputs.find((t) => t.name === 'latent_sample') ?? outputs[0]!;
  const c = channels(latent);
  if (c !== null && c !== 4)
    throw new PackError(
      `${where} outputs ${c}-channel latents, expected 4 (or 8 = mean and log-variance)`,
      where,
    );
  return {
    inputName: input.name,
    output: latent.name,
    parameters: false,
    inputType: input.type as FloatType,
  };
}

/** Cross-component agreement: text width, and one UNet residual input per ControlNet output. */
export function checkPackAgreement(
  text: TextEncoderSignature,
  unet: UnetSignature,
  controlnet: ControlnetSignature | null,
  where: { unet: string; controlnet: string },
): void {
  if (text.textDim !== null && unet.textDim !== null && text.textDim !== unet.textDim)
    throw new PackError(
      `the text encoder produces ${text.textDim}-wide embeddings but ${where.unet} expects ${unet.textDim}: components from different model families`,
      where.unet,
    );
  if (!controlnet) return;
  if (!unet.residuals)
    throw new PackError(
      `${where.unet} takes no ControlNet residuals, so the ControlNet cannot steer it: use a ControlNet-aware UNet (down/mid block additional residual inputs — OnnxStack "--controlnet", pose-studio pack export) in unet/ or as the replacement UNet`,
      where.unet,
    );
  if (unet.residuals.down.length !== controlnet.residuals.down.length)
    throw new PackError(
      `${where.controlnet} outputs ${controlnet.residuals.down.length} down-block residuals but ${where.unet} takes ${unet.residuals.down.length}`,
      where.controlnet,
    );
}
