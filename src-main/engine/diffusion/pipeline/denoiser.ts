import * as ort from 'onnxruntime-node';
import { guide } from '#shared/diffusion/latents/latentMath';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import type { ReferenceBank, ReferenceUnet } from '#main/engine/diffusion/surgery/referenceUnet';
import { asFloatType, floatTensor, readFloats } from './tensors';

/** Prompt embeddings: [tokens × dim] each; `uncond` absent when guidance is off. */
export interface TextConditioning {
  cond: Float32Array;
  uncond: Float32Array | null;
  tokens: number;
  dim: number;
}

export interface DenoiserOptions {
  /** Classifier-free guidance scale; 1 runs only the conditional pass. */
  guidanceScale: number;
  /** ControlNet conditioning scale. */
  conditioningScale: number;
  /** Latent size (height, width) in latent pixels. */
  latentHeight: number;
  latentWidth: number;
  /**
   * Most batch items per UNet/ControlNet call (the memory budget's micro-batch; default: all of a
   * step's items in one call). Every item's output is the same however calls are split.
   */
  maxItemsPerCall?: number;
  /**
   * Style fidelity s (0…1) of the unconditional half under guidance: its self-attention is plain
   * × s + reference × (1 − s), as diffusers' reference-only pipeline does; conditional items and
   * unguided calls use the reference only. Default 0.
   */
  styleFidelity?: number;
}

/** Counters for the benchmark and for the "one reference pass per render" guarantee. */
export interface DenoiserStats {
  unetCalls: number;
  /** Batch items over all UNet calls (guidance doubles a frame's items). */
  unetItems: number;
  controlnetCalls: number;
  /** Frame predictions delivered (one per frame per step, whatever the batch or CFG). */
  framePredictions: number;
  referencePasses: number;
  /** Milliseconds spent in predict() outside ONNX Runtime (batching, conditioning, guidance). */
  hostMs: number;
}

const LATENT_CHANNELS = 4;

/**
 * One denoiser evaluation for a batch of frames: ControlNet residuals from each frame's
 * conditioning image, the bank-reading UNet, and classifier-free guidance. Frames are batched
 * together (and doubled for guidance) so ONNX Runtime sees one call per step and window.
 */
export class Denoiser {
  readonly stats: DenoiserStats = {
    unetCalls: 0,
    unetItems: 0,
    controlnetCalls: 0,
    framePredictions: 0,
    referencePasses: 0,
    hostMs: 0,
  };
  private readonly latentSize: number;
  /** Time inside ONNX Runtime runs (to separate our overhead from inference). */
  private ortMs = 0;

  constructor(
    private readonly pack: OpenPack,
    private readonly unet: ReferenceUnet,
    readonly options: DenoiserOptions,
  ) {
    const { unet: u, controlnet } = pack.signatures;
    if (u.residuals && !controlnet)
      throw new Error(
        'unet/model.onnx expects ControlNet residuals but the pack has no controlnet/',
      );
    this.latentSize = LATENT_CHANNELS * options.latentHeight * options.latentWidth;
  }

  get usesGuidance(): boolean {
    return this.options.guidanceScale !== 1;
  }

  /**
   * Noise (or v) predictions for `latents` (one CHW latent per frame) at `timestep`.
   * `conditions`: each frame's conditioning image as planar RGB in 0…1 (null without ControlNet).
   * `crossFrame[k]`: index (into `latents`) of the frame whose keys/values frame k also attends to.
   */
  async predict(
    latents: readonly Float32Array[],
    timestep: number,
    text: TextConditioning,
    conditions: readonly Float32Array[] | null,
    bank: ReferenceBank,
    crossFrame?: readonly number[],
  ): Promise<Float32Array[]> {
    const started = performance.now();
    const ortBefore = this.ortMs;
    const guided = this.usesGuidance;
    if (guided && !text.uncond)
      throw new Error('guidance scale ≠ 1 needs the negative-prompt embedding');
    const texts = guided
      ? [...latents.map(() => text.uncond!), ...latents.map(() => text.cond)]
      : latents.map(() => text.cond);
    const batchLatents = guided ? [...latents, ...latents] : [...latents];
    const batchConditions = conditions && guided ? [...conditions, ...conditions] : conditions;
    const sources =
      crossFrame && guided
        ? [...crossFrame, ...crossFrame.map((k) => k + latents.length)]
        : crossFrame;
    const s = guided ? (this.options.styleFidelity ?? 0) : 0;
    const fidelity = guided
      ? [...latents.map(() => s), ...latents.map(() => 0)]
      : latents.map(() => 0);
    const data = await this.runItems(
      batchLatents,
      timestep,
      texts,
      text,
      batchConditions,
      bank,
      sources,
      fidelity,
    );
    const n = this.latentSize;
    const frames = latents.length;
    const result: Float32Array[] = [];
    for (let i = 0; i < frames; i++) {
      const cond = data.subarray(
        (guided ? frames + i : i) * n,
        (guided ? frames + i + 1 : i + 1) * n,
      );
      result.push(
        guided
          ? guide(data.subarray(i * n, (i + 1) * n), cond, this.options.guidanceScale)
          : cond.slice(),
      );
    }
    this.stats.framePredictions += frames;
    this.stats.hostMs += performance.now() - started - (this.ortMs - ortBefore);
    return result;
  }

  /**
   * The UNet (and ControlNet) on `latents` in calls of at most `maxItemsPerCall` items; the
   * outputs, concatenated, are those of one call. Cross-frame attention couples the items of a
   * call (item k reads item k−1's keys), so such a batch is never split.
   */
  private async runItems(
    latents: readonly Float32Array[],
    timestep: number,
    texts: readonly Float32Array[],
    text: TextConditioning,
    conditions: readonly Float32Array[] | null,
    bank: ReferenceBank,
    sources: readonly number[] | undefined,
    fidelity: readonly number[],
  ): Promise<Float32Array> {
    const total = latents.length;
    const limit = this.options.maxItemsPerCall ?? Infinity;
    if (!(limit >= 1)) throw new RangeError(`maxItemsPerCall must be ≥ 1, got ${limit}`);
    if (sources && total > limit)
      throw new RangeError(
        `cross-frame attention needs all ${total} items in one UNet call, the memory budget allows ${limit}`,
      );
    const out = total <= limit ? null : new Float32Array(total * this.latentSize);
    for (let from = 0; from < total; from += limit) {
      const to = Math.min(total, from + limit);
      const feeds = await this.feeds(
        latents.slice(from, to),
        timestep,
        texts.slice(from, to),
        text,
        conditions ? conditions.slice(from, to) : null,
      );
      const ortStart = performance.now();
      const result = await this.unet.run(feeds, bank, sources, fidelity.slice(from, to));
      this.ortMs += performance.now() - ortStart;
      this.stats.unetCalls++;
      this.stats.unetItems += to - from;
      const data = readFloats(result);
      if (!out) return data;
      out.set(data, from * this.latentSize);
    }
    return out!;
  }

  /**
   * The reference pass: runs the bank writer on the reference latent (conditional prompt only).
   * `feedback` passes (chained strategy, on generated frames) are not counted as reference passes.
   */
  async writeBank(
    latent: Float32Array,
    timestep: number,
    text: TextConditioning,
    condition: Float32Array | null,
    purpose: 'reference' | 'feedback' = 'reference',
  ): Promise<ReferenceBank> {
    const feeds = await this.feeds(
      [latent],
      timestep,
      [text.cond],
      text,
      condition ? [condition] : null,
    );
    if (purpose === 'reference') this.stats.referencePasses++;
    return (await this.unet.writeBank(feeds)).bank;
  }

  private async feeds(
    latents: readonly Float32Array[],
    timestep: number,
    texts: readonly Float32Array[],
    text: TextConditioning,
    conditions: readonly Float32Array[] | null,
  ): Promise<Record<string, ort.Tensor>> {
    const { latentHeight: h, latentWidth: w } = this.options;
    const batch = latents.length;
    for (const l of latents)
      if (l.length !== this.latentSize)
        throw new RangeError(`latent has ${l.length} values, expected ${this.latentSize}`);
    const { unet: sig, controlnet: cnSig } = this.pack.signatures;
    const latentData = concat(latents);
    const textData = concat(texts);
    const sample = floatTensor(sig.floatType, latentData, [batch, LATENT_CHANNELS, h, w]);
    const ehs = floatTensor(sig.floatType, textData, [batch, text.tokens, text.dim]);
    const feeds: Record<string, ort.Tensor> = {
      sample,
      timestep: timestepTensor(sig.timestepType, sig.timestepRank, timestep, batch),
      encoder_hidden_states: ehs,
    };
    if (sig.residuals && cnSig) {
      if (!conditions || conditions.length !== batch)
        throw new Error('this pack needs a conditioning image (pose) for every frame it denoises');
      const pixels = conditions[0]!.length / 3;
      const side = { h: h * 8, w: w * 8 };
      if (pixels !== side.h * side.w)
        throw new RangeError(`conditioning images must be ${side.w}×${side.h} (8× the latent)`);
      const cnFeeds: Record<string, ort.Tensor> = {
        sample: asFloatType(sample, cnSig.floatType),
        timestep: timestepTensor(cnSig.timestepType, cnSig.timestepRank, timestep, batch),
        encoder_hidden_states: asFloatType(ehs, cnSig.floatType),
        [cnSig.condName]: floatTensor(cnSig.floatType, concat(conditions), [
          batch,
          3,
          side.h,
          side.w,
        ]),
      };
      if (cnSig.conditioningScale)
        cnFeeds['conditioning_scale'] = floatTensor(
          cnSig.floatType,
          Float32Array.from([this.options.conditioningScale]),
          cnSig.conditioningScale.rank === 0 ? [] : [1],
        );
      const ortStart = performance.now();
      const residuals = await this.pack.sessions.controlnet!.run(cnFeeds);
      this.ortMs += performance.now() - ortStart;
      this.stats.controlnetCalls++;
      // A ControlNet exported without a conditioning_scale input: scale its residuals here, as
      // diffusers does inside the model (every residual × scale), so the setting is not ignored.
      const scale = cnSig.conditioningScale ? 1 : this.options.conditioningScale;
      const residual = (name: string) =>
        asFloatType(
          scale === 1 ? residuals[name]! : scaled(residuals[name]!, scale),
          sig.floatType,
        );
      cnSig.residuals.down.forEach((name, i) => (feeds[sig.residuals!.down[i]!] = residual(name)));
      feeds[sig.residuals.mid] = residual(cnSig.residuals.mid);
    }
    return feeds;
  }
}

function timestepTensor(type: string, rank: 0 | 1, t: number, batch: number): ort.Tensor {
  const dims = rank === 0 ? [] : [batch];
  const count = rank === 0 ? 1 : batch;
  if (type === 'int64')
    return new ort.Tensor('int64', new BigInt64Array(count).fill(BigInt(Math.round(t))), dims);
  if (type === 'float32') return new ort.Tensor('float32', new Float32Array(count).fill(t), dims);
  if (type === 'float16') return floatTensor('float16', new Float32Array(count).fill(t), dims);
  throw new Error(`timestep type ${type} is not supported`);
}

function scaled(t: ort.Tensor, scale: number): ort.Tensor {
  return new ort.Tensor(
    'float32',
    readFloats(t).map((v) => v * scale),
    t.dims,
  );
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
