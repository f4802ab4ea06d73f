import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { HeldFrame } from './interleavedSampler';
import { ANCHOR_FRAME, type WindowPredictor } from './windowPredictor';

/**
 * MimicMotion's position weight of frame k in a window of T: w_k = min((2k+1)/T, 2 − (2k+1)/T),
 * a triangle peaking mid-window, so a frame's prediction comes mostly from the window that sees
 * it in the middle and seams fade instead of jumping.
 */
export function triangularWeights(window: number): Float64Array {
  const w = new Float64Array(window);
  for (let k = 0; k < window; k++) w[k] = Math.min((2 * k + 1) / window, 2 - (2 * k + 1) / window);
  return w;
}

/**
 * Window starts over frames [0, n) for one denoising step. Stride T−O; with `shift`, every other
 * step moves the grid by half a stride so seams never sit at the same frames twice in a row. The
 * first window is clipped to 0 and the last pulled back to end at n (never wrapped around).
 */
export function fusedWindowStarts(
  n: number,
  window: number,
  overlap: number,
  step: number,
  shift: boolean,
): number[] {
  if (window < 1 || overlap < 0 || overlap >= window)
    throw new RangeError(`need 0 ≤ overlap < window, got ${overlap}/${window}`);
  if (n <= window) return [0];
  const stride = window - overlap;
  const offset = shift ? (step % 2) * Math.floor(stride / 2) : 0;
  const starts = new Set<number>();
  for (let s = offset - (offset > 0 ? stride : 0); ; s += stride) {
    const clipped = Math.min(Math.max(s, 0), n - window);
    starts.add(clipped);
    if (clipped === n - window) break;
  }
  return [...starts].sort((a, b) => a - b);
}

export interface FusedSamplingOptions {
  sampler: Sampler;
  /** Initial latents of frames 0 … n−1. */
  initial: readonly Float32Array[];
  /** Initial latent of the anchor (reference pose), added to every window; null for none. */
  anchor: Float32Array | null;
  window: number;
  overlap: number;
  shift: boolean;
  predict: WindowPredictor;
  /**
   * Frames held to known content (positions in 0 … n−1): before every step each is set to its
   * clean latent noised to that step's level, so the free frames are denoised next to it; at the
   * end it is exactly `clean`. A fusion group that continues the previous one holds the frames
   * it shares with it (as `interleaved` transitions hold their neighbours' frames).
   */
  held?: readonly HeldFrame[];
}

export interface FusedSamplingResult {
  latents: Float32Array[];
  /** Frame predictions requested per frame per step (excluding the anchor): ≈ T/(T−O). */
  predictionsPerFrameStep: number;
}

/**
 * Overlap fusion (design rule 1 of docs long-video.md): at every step each window predicts its
 * frames, predictions are blended with triangular weights normalised by their sum, and ONE
 * global scheduler step moves every frame — so multistep samplers stay correct. The anchor's
 * predictions from all windows are averaged and it is stepped like a frame, then dropped.
 */
export async function sampleFused(o: FusedSamplingOptions): Promise<FusedSamplingResult> {
  const n = o.initial.length;
  const size = o.initial[0]?.length ?? 0;
  const held = o.held ?? [];
  for (const h of held)
    if (!(Number.isInteger(h.position) && h.position >= 0 && h.position < n))
      throw new RangeError(`fused: held frame at position ${h.position} of ${n} frames`);
    else if (h.clean.length !== size || h.noise.length !== size)
      throw new RangeError(`fused: held frame ${h.position} has the wrong latent size`);
  let latents: Float32Array[] = o.initial.map((l) => l.slice());
  let anchor: Float32Array | null = o.anchor?.slice() ?? null;
  let frameEvaluations = 0;
  // Per step, the windows are known before any prediction arrives, so each frame's total weight
  // is too: predictions are added already normalised (w / Σw) into one float32 buffer per frame —
  // one pass per prediction, no separate sum, division or clearing pass (this loop is most of the
  // scheduler's overhead per denoiser call). Buffers are allocated once and reused every step.
  const blended = latents.map(() => new Float32Array(size));
  const anchorBlend = anchor ? new Float32Array(size) : null;
  const total = new Float64Array(n);
  const filled = new Uint8Array(n);
  const weightsOf = new Map<number, Float64Array>();
  const weights = (length: number) => {
    let w = weightsOf.get(length);
    if (!w) weightsOf.set(length, (w = triangularWeights(length)));
    return w;
  };
  for (let step = 0; step < o.sampler.timesteps.length; step++) {
    for (const h of held) latents[h.position]!.set(o.sampler.noisedAt(h.clean, h.noise, step));
    const starts = fusedWindowStarts(n, o.window, o.overlap, step, o.shift);
    total.fill(0);
    filled.fill(0);
    for (const start of starts) {
      const w = weights(Math.min(start + o.window, n) - start);
      for (let k = 0; k < w.length; k++) total[start + k] = total[start + k]! + w[k]!;
    }
    let anchorFilled = false;
    for (const start of starts) {
      const end = Math.min(start + o.window, n);
      const frames = Array.from({ length: end - start }, (_, k) => start + k);
      const w = weights(frames.length);
      const inputs = frames.map((f) => o.sampler.scaleModelInput(latents[f]!, step));
      const predictions = await o.predict(
        anchor ? [o.sampler.scaleModelInput(anchor, step), ...inputs] : inputs,
        anchor ? [ANCHOR_FRAME, ...frames] : frames,
        step,
      );
      if (anchorBlend) {
        accumulate(anchorBlend, predictions[0]!, 1 / starts.length, !anchorFilled);
        anchorFilled = true;
      }
      const offset = anchor ? 1 : 0;
      for (let k = 0; k < frames.length; k++) {
        const f = frames[k]!;
        accumulate(blended[f]!, predictions[k + offset]!, w[k]! / total[f]!, filled[f] === 0);
        filled[f] = 1;
      }
      frameEvaluations += frames.length;
    }
    // In place: the latents are our own copies and every prediction of this step is in.
    latents = latents.map((l, f) => o.sampler.step(blended[f]!, step, l, l));
    if (anchor && anchorBlend) anchor = o.sampler.step(anchorBlend, step, anchor, anchor);
  }
  for (const h of held) latents[h.position] = h.clean.slice();
  return { latents, predictionsPerFrameStep: frameEvaluations / (n * o.sampler.timesteps.length) };
}

/** out = s·x (first contribution) or out += s·x. */
function accumulate(out: Float32Array, x: Float32Array, s: number, first: boolean): void {
  if (x.length !== out.length)
    throw new RangeError(`fused: a prediction has ${x.length} values, expected ${out.length}`);
  if (first) for (let i = 0; i < out.length; i++) out[i] = s * x[i]!;
  else for (let i = 0; i < out.length; i++) out[i] = out[i]! + s * x[i]!;
}
