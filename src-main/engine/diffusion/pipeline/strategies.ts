import { sampleFused } from '#shared/diffusion/longVideo/fusedSampler';
import {
  sampleInterleaved,
  sampleWithHeldFrames,
} from '#shared/diffusion/longVideo/interleavedSampler';
import { ANCHOR_FRAME, type WindowPredictor } from '#shared/diffusion/longVideo/windowPredictor';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { CrossFrameMode } from '#shared/project/schema';
import type { RenderStrategy } from '#shared/render/strategy';
import { joinBanks, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import type { Denoiser, TextConditioning } from './denoiser';

/** Everything a strategy needs for one render; the bank is the reference's, computed once. */
export interface StrategyContext {
  denoiser: Denoiser;
  sampler: Sampler;
  text: TextConditioning;
  bank: ReferenceBank;
  frameCount: number;
  window: number;
  overlap: number;
  seed: number;
  /** Initial latent of a frame (seeded noise, or the inverted reference). */
  start(frame: number): Float32Array;
  /** Conditioning image of a frame (ANCHOR_FRAME: the reference pose), null without ControlNet. */
  condition(frame: number): Float32Array | null;
  /**
   * Cross-frame attention inside each window: `previous` lets window position k also attend to
   * position k−1 (position 0 to position 1; in `fused` position 1 sees the anchor), chaining the
   * frames of a window together;
   * `off` keeps frames independent given the bank.
   */
  crossFrame: CrossFrameMode;
}

export interface StrategyStats {
  /** Reference-bank passes on generated frames (chained feedback), besides the one reference pass. */
  feedbackPasses: number;
  /** Frame predictions per frame per step. */
  predictionsPerFrameStep: number;
  /** `interleaved`: frame predictions per anchor frame per step (PoseGen's target: exactly 1). */
  anchorPredictionsPerFrameStep?: number;
}

function predictor(ctx: StrategyContext, bank: ReferenceBank): WindowPredictor {
  return (latents, frames, step) => {
    const conditions = frames.map((f) => ctx.condition(f));
    const usable = conditions.every((c): c is Float32Array => c !== null) ? conditions : null;
    // Position 0 has no previous frame: it looks at position 1 instead (pointing it at itself
    // would double its own keys against the bank's and shift its balance).
    const sources =
      ctx.crossFrame === 'previous' && frames.length > 1
        ? frames.map((_, k) => (k === 0 ? 1 : k - 1))
        : undefined;
    return ctx.denoiser.predict(
      latents,
      ctx.sampler.timesteps[step]!,
      ctx.text,
      usable,
      bank,
      sources,
    );
  };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
}

/** Runs a strategy, yielding finished latents frame by frame in timeline order. */
export async function* runStrategy(
  strategy: RenderStrategy,
  ctx: StrategyContext,
  stats: StrategyStats,
): AsyncGenerator<{ frame: number; latent: Float32Array }> {
  const steps = ctx.sampler.timesteps.length;
  const before = ctx.denoiser.stats.framePredictions;
  const T = ctx.window;
  const latentSize = ctx.start(0).length;
  if (strategy === 'independent') {
    for (let s = 0; s < ctx.frameCount; s += T) {
      const frames = range(s, Math.min(s + T, ctx.frameCount));
      const out = await sampleWithHeldFrames(
        ctx.sampler,
        frames.map(ctx.start),
        frames,
        [],
        predictor(ctx, ctx.bank),
      );
      for (let k = 0; k < frames.length; k++) yield { frame: frames[k]!, latent: out[k]! };
    }
  } else if (strategy === 'fused') {
    // One fusion group: every frame's latent is stepped together (memory ∝ frames × latent).
    const frames = range(0, ctx.frameCount);
    const result = await sampleFused({
      sampler: ctx.sampler,
      initial: frames.map(ctx.start),
      anchor: ctx.start(ANCHOR_FRAME),
      window: T,
      overlap: ctx.overlap,
      shift: true,
      predict: predictor(ctx, ctx.bank),
    });
    for (const f of frames) yield { frame: f, latent: result.latents[f]! };
    // the anchor's predictions are overhead of the method, not frame predictions
    stats.predictionsPerFrameStep = result.predictionsPerFrameStep;
    return;
  } else if (strategy === 'interleaved') {
    const counts = {
      anchorFrames: 0,
      anchorPredictions: 0,
      transitionFrames: 0,
      transitionPredictions: 0,
    };
    yield* sampleInterleaved({
      sampler: ctx.sampler,
      frameCount: ctx.frameCount,
      window: T,
      overlap: ctx.overlap,
      initial: ctx.start,
      holdNoise: (f) => frameNoise(ctx.seed ^ 0x5eed, f, latentSize),
      predict: predictor(ctx, ctx.bank),
      counts,
    });
    if (counts.anchorFrames > 0)
      stats.anchorPredictionsPerFrameStep =
        counts.anchorPredictions / (counts.anchorFrames * steps);
  } else {
    // chained (TalkingPose): the last O generated frames of the previous window join the
    // reference bank as feedback; the original reference stays in every window's bank.
    let feedback: { frame: number; latent: Float32Array }[] = [];
    for (let s = 0; s < ctx.frameCount; s += T) {
      const frames = range(s, Math.min(s + T, ctx.frameCount));
      const feedbackBanks: ReferenceBank[] = [];
      for (const f of feedback) {
        feedbackBanks.push(
          await ctx.denoiser.writeBank(f.latent, 0, ctx.text, ctx.condition(f.frame), 'feedback'),
        );
        stats.feedbackPasses++;
      }
      const bank = feedbackBanks.length > 0 ? joinBanks([ctx.bank, ...feedbackBanks]) : ctx.bank;
      const out = await sampleWithHeldFrames(
        ctx.sampler,
        frames.map(ctx.start),
        frames,
        [],
        predictor(ctx, bank),
      );
      for (let k = 0; k < frames.length; k++) yield { frame: frames[k]!, latent: out[k]! };
      // (slice(-0) would be every frame: overlap 0 means no feedback)
      const kept = ctx.overlap > 0 ? frames.slice(-ctx.overlap) : [];
      feedback = kept.map((f) => ({ frame: f, latent: out[f - s]! }));
    }
  }
  stats.predictionsPerFrameStep =
    (ctx.denoiser.stats.framePredictions - before) / (ctx.frameCount * steps);
}
