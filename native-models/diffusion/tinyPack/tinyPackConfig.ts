/**
 * Dimensions of the tiny pack: an SD1.5-shaped pipeline with few channels and a 64×64 image
 * (8×8 latent). Block structure follows SD1.5 with layers_per_block 1: a CrossAttnDownBlock2D,
 * a DownBlock2D, UNetMidBlock2DCrossAttn, an UpBlock2D and a CrossAttnUpBlock2D.
 */
export const tinyDims = {
  imageSize: 64,
  latentSize: 8,
  latentChannels: 4,
  blockChannels: [8, 16] as const,
  groups: 4,
  heads: 2,
  timeDim: 32,
  textDim: 16,
  textLength: 77,
  vocabSize: 49408,
} as const;

/** Down-block residual channels and sizes (conv_in, down_blocks.0.resnets.0, …downsamplers.0, down_blocks.1.resnets.0). */
export const tinyDownResiduals = [
  { channels: 8, size: 8 },
  { channels: 8, size: 8 },
  { channels: 8, size: 4 },
  { channels: 16, size: 4 },
] as const;
export const tinyMidResidual = { channels: 16, size: 4 } as const;
