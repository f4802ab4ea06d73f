import type { TensorSignature } from './onnxHeader';

export type { TensorSignature };

export interface ModelSignature {
  inputs: readonly TensorSignature[];
  outputs: readonly TensorSignature[];
}

export type FloatType = 'float32' | 'float16';
export type TimestepType = 'float32' | 'float16' | 'int64';

export interface TextEncoderSignature {
  idsType: 'int32' | 'int64';
  textDim: number | null;
  /** The token-id input and the per-token embedding output, as this export names them. */
  idsName: string;
  hiddenName: string;
}
export interface ResidualNames {
  /** In block order (index 0 = conv_in output). */
  down: string[];
  mid: string;
}
export interface UnetSignature {
  floatType: FloatType;
  timestepType: TimestepType;
  /** Rank of the timestep input: 1 ([batch]) or 0 (one scalar for the batch). */
  timestepRank: 0 | 1;
  textDim: number | null;
  /** Inputs for ControlNet residuals, when this UNet was exported to accept them. */
  residuals: ResidualNames | null;
}
export interface ControlnetSignature {
  floatType: FloatType;
  timestepType: TimestepType;
  timestepRank: 0 | 1;
  /** The pose image input (3 channels, 0…1). */
  condName: string;
  residuals: ResidualNames;
  /** conditioning_scale input and its rank, if the export has one (else the app scales). */
  conditioningScale: { rank: number } | null;
}
export interface VaeEncoderSignature {
  inputName: string;
  /** `latent_sample` (4 channels) or optimum's `latent_parameters` (mean and log-variance, 8). */
  output: string;
  parameters: boolean;
  inputType: FloatType;
}
export interface VaeDecoderSignature {
  inputName: string;
  outputName: string;
  inputType: FloatType;
}

/** The five model roles of a pose pack, by their diffusers folder names. */
export const modelRoles = [
  'text_encoder',
  'unet',
  'vae_encoder',
  'vae_decoder',
  'controlnet',
] as const;
export type ModelRole = (typeof modelRoles)[number];

/** A model whose role was recognised, with what the pipeline needs to feed it. */
export type RecognisedModel =
  | { role: 'text_encoder'; signature: TextEncoderSignature }
  | { role: 'unet'; signature: UnetSignature }
  | { role: 'controlnet'; signature: ControlnetSignature }
  | { role: 'vae_encoder'; signature: VaeEncoderSignature }
  | { role: 'vae_decoder'; signature: VaeDecoderSignature };
