import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { WindowPredictor } from './windowPredictor';

export interface HeldFrame {
  /** Position in the window. */
  position: number;
  /** The neighbour's finished latent for this frame. */
  clean: Float32Array;
  /** Fixed noise used to bring it to each step's level. */
  noise: Float32Array;
}

/**
 * Samples one window in which some frames are held to known content at every step (PoseGen's
 * transition segments: their first and last O frames are the neighbouring anchors' frames).
 * Before every step, each held frame is set to its clean latent noised to that step's level, so
 * free frames denoise next to consistent neighbours; after the last step held frames are exactly
 * the neighbours' latents.
 */
export async function sampleWithHeldFrames(
  sampler: Sampler,
  initial: readonly Float32Array[],
  frames: readonly number[],
  held: readonly HeldFrame[],
  predict: WindowPredictor,
): Promise<Float32Array[]> {
  let latents: Float32Array[] = initial.map((l) => l.slice());
  const hold = (index: number) => {
    for (const h of held) latents[h.position] = sampler.noisedAt(h.clean, h.noise, index);
  };
  for (let step = 0; step < sampler.timesteps.length; step++) {
    hold(step);
    const predictions = await predict(
      latents.map((l) => sampler.scaleModelInput(l, step)),
      frames,
      step,
    );
    latents = latents.map((l, k) => sampler.step(predictions[k]!, step, l));
  }
  for (const h of held) latents[h.position] = h.clean.slice();
  return latents;
}

export interface InterleavedOptions {
  sampler: Sampler;
  frameCount: number;
  window: number;
  overlap: number;
  /** Initial latent (noise) of a frame; called again for the same frame must give the same latent. */
  initial(frame: number): Float32Array;
  /** Fixed holding noise of a frame. */
  holdNoise(frame: number): Float32Array;
  predict: WindowPredictor;
  /** Filled in while sampling: frames and frame predictions of anchor and transition windows. */
  counts?: InterleavedCounts;
}

export interface InterleavedCounts {
  anchorFrames: number;
  /** Frame predictions (one per frame per step and denoiser pass) made for anchor windows. */
  anchorPredictions: number;
  transitionFrames: number;
  /** Includes the held frames a transition window carries for context. */
  transitionPredictions: number;
}

/** `predict` that adds each call's frame count to `count`. */
function counted(predict: WindowPredictor, count: (frames: number) => void): WindowPredictor {
  return (latents, frames, step) => {
    count(latents.length);
    return predict(latents, frames, step);
  };
}

/**
 * PoseGen's interleaved generation, streamed: chunks of T frames alternate anchor / transition.
 * Anchors depend on nothing (they could run in parallel or elsewhere); a transition chunk
 * [start, end) is sampled over [start − O, end + O) with the outer O frames on each side held to
 * the neighbouring anchors' frames. Frames are yielded in order and only the previous anchor's
 * last O latents are kept, so memory does not grow with the video.
 */
export async function* sampleInterleaved(
  o: InterleavedOptions,
): AsyncGenerator<{ frame: number; latent: Float32Array }> {
  const T = o.window;
  const O = o.overlap;
  if (O < 1 || 2 * O > T)
    throw new RangeError(`interleaved needs 1 ≤ overlap ≤ window/2, got ${O}/${T}`);
  const chunkCount = Math.ceil(o.frameCount / T);
  const chunk = (i: number) => ({ start: i * T, end: Math.min((i + 1) * T, o.frameCount) });
  const anchor = async (i: number) => {
    const { start, end } = chunk(i);
    const frames = range(start, end);
    if (o.counts) o.counts.anchorFrames += frames.length;
    const predict = o.counts
      ? counted(o.predict, (n) => (o.counts!.anchorPredictions += n))
      : o.predict;
    return sampleWithHeldFrames(o.sampler, frames.map(o.initial), frames, [], predict);
  };
  let previous: { index: number; latents: Float32Array[] } | null = null;
  for (let i = 0; i < chunkCount; i += 2) {
    const current = { index: i, latents: await anchor(i) };
    if (previous) {
      // transition between previous (i − 2) and current (i) anchors: chunk i − 1
      yield* emit(chunk(previous.index).start, previous.latents);
      yield* emit(chunk(i - 1).start, await transition(i - 1, previous.latents, current.latents));
    }
    previous = current;
    if (i + 1 < chunkCount && i + 2 >= chunkCount) {
      // a trailing transition chunk with only a left neighbour
      yield* emit(chunk(i).start, previous.latents);
      yield* emit(chunk(i + 1).start, await transition(i + 1, previous.latents, null));
      previous = null;
    }
  }
  if (previous) yield* emit(chunk(previous.index).start, previous.latents);

  async function transition(
    i: number,
    left: Float32Array[],
    right: Float32Array[] | null,
  ): Promise<Float32Array[]> {
    const { start, end } = chunk(i);
    const leftFrames = range(start - O, start);
    const rightFrames = right ? range(end, Math.min(end + O, o.frameCount)) : [];
    const frames = [...leftFrames, ...range(start, end), ...rightFrames];
    const held: HeldFrame[] = [
      ...leftFrames.map((f, k) => ({
        position: k,
        clean: left[left.length - O + k]!,
        noise: o.holdNoise(f),
      })),
      ...rightFrames.map((f, k) => ({
        position: leftFrames.length + (end - start) + k,
        clean: right![k]!,
        noise: o.holdNoise(f),
      })),
    ];
    if (o.counts) o.counts.transitionFrames += end - start;
    const predict = o.counts
      ? counted(o.predict, (n) => (o.counts!.transitionPredictions += n))
      : o.predict;
    const out = await sampleWithHeldFrames(o.sampler, frames.map(o.initial), frames, held, predict);
    return out.slice(leftFrames.length, leftFrames.length + (end - start));
  }
}

async function* emit(
  start: number,
  latents: Float32Array[],
): AsyncGenerator<{ frame: number; latent: Float32Array }> {
  for (let k = 0; k < latents.length; k++) yield { frame: start + k, latent: latents[k]! };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
}
