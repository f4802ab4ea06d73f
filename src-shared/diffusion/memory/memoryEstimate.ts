import { channelsByLevel, type ModelShape } from './modelShape';

/**
 * Peak memory of a diffusion render, estimated before it starts from the pack's shapes, and the
 * UNet micro-batch that keeps it under a budget. The largest single buffer of an SD UNet is the
 * attention scores of its first (full-resolution) self-attention: heads × L × L' floats per batch
 * item with L = (H/8)·(W/8) tokens and L' = L × (1 + reference copies in the bank, + 1 with
 * cross-frame attention) — 8 × 4096 × 8192 × 4 B = 1 GiB per item at 512² with one reference
 * bank, times the score buffers its form keeps alive (1 fused, 2–3 unfused: modelShape.ts). A
 * fused window of 24 with its anchor and guidance is 50 items: ≈ 100–150 GiB in one call, so
 * calls are split.
 */
export interface MemoryInputs {
  unet: ModelShape;
  controlnet: ModelShape | null;
  /** Bytes of model weights resident while denoising (every session's copy counted). */
  weightBytes: number;
  latentHeight: number;
  latentWidth: number;
  /** Reference-bank tokens as a multiple of a frame's own tokens (1 = one reference picture). */
  bankCopies: number;
  /** Cross-frame attention adds another frame's tokens to every self-attention. */
  crossFrame: boolean;
  /** Text tokens (keys of cross-attention). */
  textTokens: number;
  /** Bytes per activation value (4 for float32 packs, 2 for float16). */
  valueBytes: number;
  /** Channels of the VAE decoder's full-resolution block (128 in SD's VAE). */
  decoderChannels: number;
}

export interface MemoryEstimate {
  /** Weights + reference bank + the runtime itself: paid once, whatever the batch. */
  fixedBytes: number;
  weightBytes: number;
  bankBytes: number;
  /** One UNet batch item (ControlNet residuals, activations, attention scores). */
  perItemBytes: number;
  /** The attention-scores part of perItemBytes. */
  attentionBytes: number;
  /** VAE decoding of one frame (decoded separately from the UNet calls). */
  decodeBytesPerFrame: number;
}

/** Node, ONNX Runtime's own code and arenas' bookkeeping, tokenizer: measured ≈ 200–300 MB. */
export const RUNTIME_BYTES = 300 * 1024 ** 2;
/**
 * Resident bytes per byte of weight files once the sessions are open: ONNX Runtime keeps
 * pre-packed copies of some MatMul/Conv weights. Measured on the SD1.5-width pack (5.03 GB of
 * files): 5.42–5.65 GB resident after opening, runtime included (docs/diffusion.md).
 */
export const WEIGHT_RESIDENCY = 1.1;

const SKIPS_PER_LEVEL = 3; // SD down blocks keep 2 resnet outputs + 1 downsample per level
/**
 * Full-resolution block-sized tensors ([tokens, C] at level 0) one item holds besides its
 * attention scores: GEGLU's 8·C projection and its halves, convolution workspaces, head-split
 * copies of Q/K/V, the bank-widened K/V. Measured, not derived: an SD1.5-width UNet item at 512²
 * holds 3.58 GB with the bank (3 GB of it scores) and 1.83 GB without (1.5 GB scores), i.e.
 * 0.33–0.58 GB ≈ 64–110 tensors of 320 × 4096 floats; 110 keeps the estimate at or above both.
 */
const WORKING_TENSORS = 110;

export function estimateMemory(inputs: MemoryInputs): MemoryEstimate {
  const { latentHeight: h, latentWidth: w, valueBytes: vb } = inputs;
  const tokens = (level: number) => Math.ceil(h / 2 ** level) * Math.ceil(w / 2 ** level);
  const scores = (shape: ModelShape, bank: boolean) =>
    Math.max(
      0,
      ...shape.attentions.map((a) => {
        const q = tokens(a.level);
        const keys = a.self
          ? q * (1 + (bank ? inputs.bankCopies + (inputs.crossFrame ? 1 : 0) : 0))
          : inputs.textTokens;
        return a.heads * q * keys * vb * a.scoreBuffers;
      }),
    );
  const activations = (shape: ModelShape) => {
    const channels = channelsByLevel(shape, 320);
    const skips = channels.reduce((n, c, l) => n + SKIPS_PER_LEVEL * c * tokens(l) * vb, 0);
    return skips + WORKING_TENSORS * channels[0]! * tokens(0) * vb;
  };
  const unetScores = scores(inputs.unet, true);
  const unetItem = unetScores + activations(inputs.unet);
  // The ControlNet runs first; its residuals (≈ the skip connections) live on into the UNet call.
  const residuals = inputs.controlnet
    ? channelsByLevel(inputs.controlnet, 320).reduce(
        (n, c, l) => n + SKIPS_PER_LEVEL * c * tokens(l) * vb,
        0,
      )
    : 0;
  const controlnetItem = inputs.controlnet
    ? scores(inputs.controlnet, false) + activations(inputs.controlnet)
    : 0;
  const perItemBytes = Math.max(unetItem, controlnetItem) + residuals;
  // The bank: K and V of every self-attention for one reference, [1, L, C] each.
  const bankBytes =
    inputs.bankCopies *
    inputs.unet.attentions
      .filter((a) => a.self)
      .reduce((n, a) => n + 2 * tokens(a.level) * (a.channels ?? 320) * vb, 0);
  // The VAE decoder's last block at full resolution, ~4 tensors of it alive (float32 I/O).
  const decodeBytesPerFrame = 4 * inputs.decoderChannels * (h * 8) * (w * 8) * 4;
  return {
    fixedBytes: inputs.weightBytes * WEIGHT_RESIDENCY + bankBytes + RUNTIME_BYTES,
    weightBytes: inputs.weightBytes,
    bankBytes,
    perItemBytes,
    attentionBytes: unetScores,
    decodeBytesPerFrame,
  };
}

/** How a render's UNet calls are split under a budget. */
export interface CallPlan {
  /** Batch items per UNet (and ControlNet) call; Infinity = no limit (budget off). */
  itemsPerCall: number;
  /** Frames per VAE decoder call. */
  framesPerDecode: number;
  /** Estimated peak for the largest call this render makes, with this split. */
  peakBytes: number;
  /** The same render unsplit (items = the largest call's items). */
  unsplitPeakBytes: number;
}

export class MemoryBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryBudgetError';
  }
}

const DECODE_FRAMES = 4; // the decoder's own chunk: enough to keep it busy, bounded memory

/**
 * The split of calls of up to `largestCall` items under `budgetBytes` (null: no budget). Refuses
 * (MemoryBudgetError, with the fix) when not even one item fits, or when `indivisible` (cross-frame
 * attention couples a call's items) and the whole call does not fit.
 */
export function planCalls(
  estimate: MemoryEstimate,
  largestCall: number,
  budgetBytes: number | null,
  options: { indivisible?: boolean; size?: string } = {},
): CallPlan {
  // Decoding runs after sampling, not during a UNet call: the larger of the two is the peak.
  const peak = (items: number, decodeFrames = DECODE_FRAMES) =>
    estimate.fixedBytes +
    Math.max(items * estimate.perItemBytes, decodeFrames * estimate.decodeBytesPerFrame);
  const unsplitPeakBytes = peak(largestCall);
  if (budgetBytes === null)
    return {
      itemsPerCall: Infinity,
      framesPerDecode: DECODE_FRAMES,
      peakBytes: unsplitPeakBytes,
      unsplitPeakBytes,
    };
  const room = budgetBytes - estimate.fixedBytes;
  const fits = Math.floor(room / estimate.perItemBytes);
  const at = options.size ? ` at ${options.size}` : '';
  // Written as "not ≥" so a NaN budget (or estimate) refuses instead of passing every test.
  if (!(fits >= 1) || !(room >= estimate.decodeBytesPerFrame))
    throw new MemoryBudgetError(
      `the memory budget of ${gib(budgetBytes)} cannot hold even one UNet item${at}: ` +
        `that needs ≈ ${gib(peak(1, 1))} (weights ${gib(estimate.weightBytes)}, one item ` +
        `${gib(estimate.perItemBytes)}). Raise the memory budget to at least ${gib(peak(1, 1))} ` +
        '(Settings → Memory budget, or "off"), or render at a smaller size',
    );
  if (options.indivisible && fits < largestCall)
    throw new MemoryBudgetError(
      `cross-frame attention needs a whole window (${largestCall} UNet items) in one call${at}: ` +
        `≈ ${gib(unsplitPeakBytes)}, over the memory budget of ${gib(budgetBytes)}. Raise the ` +
        'memory budget, shorten the segment length, or turn cross-frame attention off',
    );
  const itemsPerCall = Math.min(fits, largestCall);
  const framesPerDecode = Math.max(
    1,
    Math.min(DECODE_FRAMES, Math.floor(room / estimate.decodeBytesPerFrame)),
  );
  return {
    itemsPerCall,
    framesPerDecode,
    peakBytes: peak(itemsPerCall, framesPerDecode),
    unsplitPeakBytes,
  };
}

/** Bytes as GiB with two decimals ("1.25 GB"; the app says GB for 1024³ everywhere). */
export function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
