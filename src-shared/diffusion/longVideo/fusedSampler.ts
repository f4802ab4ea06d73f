import type { Sampler } from '../schedulers/sampler';
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
  let latents: Float32Array[] = o.initial.map((l) => l.slice());
  let anchor: Float32Array | null = o.anchor?.slice() ?? null;
  let frameEvaluations = 0;
  // Accumulators are allocated once and reused every step (a long fusion group at 512×512 would
  // otherwise allocate frames × 128 KB per step).
  const sum = latents.map(() => new Float64Array(size));
  const weight = new Float64Array(n);
  const anchorSum = anchor ? new Float64Array(size) : null;
  const blended = new Float32Array(size);
  for (let step = 0; step < o.sampler.timesteps.length; step++) {
    for (const s of sum) s.fill(0);
    weight.fill(0);
    anchorSum?.fill(0);
    const starts = fusedWindowStarts(n, o.window, o.overlap, step, o.shift);
    for (const start of starts) {
      const end = Math.min(start + o.window, n);
      const frames = Array.from({ length: end - start }, (_, k) => start + k);
      const w = triangularWeights(frames.length);
      const inputs = frames.map((f) => o.sampler.scaleModelInput(latents[f]!, step));
      const predictions = await o.predict(
        anchor ? [o.sampler.scaleModelInput(anchor, step), ...inputs] : inputs,
        anchor ? [ANCHOR_FRAME, ...frames] : frames,
        step,
      );
      const framePredictions = anchor ? predictions.slice(1) : predictions;
      if (anchorSum) addInto(anchorSum, predictions[0]!, 1);
      frames.forEach((f, k) => {
        addInto(sum[f]!, framePredictions[k]!, w[k]!);
        weight[f] = weight[f]! + w[k]!;
      });
      frameEvaluations += frames.length;
    }
    latents = latents.map((l, f) =>
      o.sampler.step(divideInto(blended, sum[f]!, weight[f]!), step, l),
    );
    if (anchor && anchorSum)
      anchor = o.sampler.step(divideInto(blended, anchorSum, starts.length), step, anchor);
  }
  return { latents, predictionsPerFrameStep: frameEvaluations / (n * o.sampler.timesteps.length) };
}

function addInto(sum: Float64Array, x: Float32Array, w: number): void {
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + w * x[i]!;
}

function divideInto(out: Float32Array, sum: Float64Array, w: number): Float32Array {
  const k = 1 / w;
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! * k;
  return out;
}
