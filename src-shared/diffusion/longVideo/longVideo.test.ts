import { describe, expect, it } from 'vitest';
import { frameNoise } from '../noise/seededNoise';
import { DdimScheduler } from '../schedulers/ddimScheduler';
import { sd15SchedulerConfig } from '../schedulers/schedulerConfig';
import { fusedWindowStarts, sampleFused, triangularWeights } from './fusedSampler';
import { sampleInterleaved, sampleWithHeldFrames } from './interleavedSampler';
import { ANCHOR_FRAME, type WindowPredictor } from './windowPredictor';

const SIZE = 16;
const init = (f: number) => frameNoise(11, f + 1, SIZE);

/** A model whose prediction for a frame depends only on that frame (an image model). */
const perFrame: WindowPredictor = async (latents, frames, step) =>
  latents.map((l, k) => l.map((v, i) => 0.3 * v + 0.05 * Math.sin(frames[k]! * 0.7 + i + step)));

/**
 * A model whose frames see each other (a toy video model): it predicts the window's mean latent
 * as every frame's clean content, so frames of one window converge together and separately
 * sampled windows meet at visible seams.
 */
function videoModel(sampler: DdimScheduler): WindowPredictor {
  return async (latents, _frames, step) => {
    const a = sampler.alphaCumprod(sampler.timesteps[step]!);
    const mean = new Float32Array(SIZE);
    for (const l of latents)
      for (let i = 0; i < SIZE; i++) mean[i] = mean[i]! + l[i]! / latents.length;
    return latents.map((l) => l.map((v, i) => (v - Math.sqrt(a) * mean[i]!) / Math.sqrt(1 - a)));
  };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
/** Seam score on latents: mean step across `boundaries` over the mean step elsewhere. */
function seamScore(latents: Float32Array[], boundaries: Set<number>): number {
  let seam = 0;
  let seamN = 0;
  let inner = 0;
  let innerN = 0;
  for (let t = 1; t < latents.length; t++) {
    let d = 0;
    for (let i = 0; i < SIZE; i++) d += Math.abs(latents[t]![i]! - latents[t - 1]![i]!);
    if (boundaries.has(t)) {
      seam += d;
      seamN++;
    } else {
      inner += d;
      innerN++;
    }
  }
  return seam / seamN / (inner / innerN);
}

describe('fused windows', () => {
  it('triangular weights peak mid-window and are symmetric', () => {
    expect(Array.from(triangularWeights(4))).toEqual([0.25, 0.75, 0.75, 0.25]);
    const w = triangularWeights(72);
    expect(w[0]).toBeCloseTo(1 / 72, 12);
    expect(w[35]).toBeCloseTo(71 / 72, 12);
    for (let k = 0; k < 72; k++) expect(w[k]).toBeCloseTo(w[71 - k]!, 12);
  });

  it('window starts: stride T−O, last pulled back, shifted on odd steps, never wrapped', () => {
    expect(fusedWindowStarts(40, 16, 4, 0, false)).toEqual([0, 12, 24]);
    expect(fusedWindowStarts(41, 16, 4, 0, false)).toEqual([0, 12, 24, 25]);
    expect(fusedWindowStarts(41, 16, 4, 1, true)).toEqual([0, 6, 18, 25]);
    expect(fusedWindowStarts(41, 16, 4, 2, true)).toEqual([0, 12, 24, 25]);
    expect(fusedWindowStarts(10, 16, 4, 1, true)).toEqual([0]);
    for (const n of [17, 50, 99])
      for (const step of [0, 1]) {
        const starts = fusedWindowStarts(n, 16, 4, step, true);
        const covered = new Set(starts.flatMap((s) => Array.from({ length: 16 }, (_, k) => s + k)));
        expect(covered.size).toBe(n);
        expect(Math.max(...starts)).toBe(n - 16);
      }
  });

  it('with a per-frame-independent model, fusion reproduces the single-window result', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 6);
    const n = 23;
    const initial = Array.from({ length: n }, (_, f) => init(f));
    const anchor = frameNoise(99, 0, SIZE);
    const fused = await sampleFused({
      sampler,
      initial,
      anchor,
      window: 8,
      overlap: 3,
      shift: true,
      predict: perFrame,
    });
    const single = await sampleFused({
      sampler,
      initial,
      anchor,
      window: n,
      overlap: 0,
      shift: false,
      predict: perFrame,
    });
    for (let f = 0; f < n; f++)
      expect(maxDiff(fused.latents[f]!, single.latents[f]!)).toBeLessThan(1e-6);
    expect(single.predictionsPerFrameStep).toBe(1);
  });

  it('puts the anchor first in every window', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 2);
    const seen: number[][] = [];
    const spy: WindowPredictor = async (latents, frames, step) => (
      seen.push([...frames]),
      perFrame(latents, frames, step)
    );
    await sampleFused({
      sampler,
      initial: Array.from({ length: 20 }, (_, f) => init(f)),
      anchor: init(-5),
      window: 8,
      overlap: 2,
      shift: false,
      predict: spy,
    });
    expect(seen.length).toBe(2 * 3);
    for (const frames of seen) expect(frames[0]).toBe(ANCHOR_FRAME);
  });

  it('costs ≈ T/(T−O) frame predictions per frame and step', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 1);
    const { predictionsPerFrameStep } = await sampleFused({
      sampler,
      initial: Array.from({ length: 1000 }, () => new Float32Array(SIZE)),
      anchor: null,
      window: 16,
      overlap: 4,
      shift: false,
      predict: perFrame,
    });
    expect(predictionsPerFrameStep).toBeCloseTo(16 / 12, 1);
  });

  it('with a video model, fused seams are smoother than independent chunks', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 8);
    const n = 48;
    const initial = Array.from({ length: n }, (_, f) => init(f));
    const chunks: Float32Array[] = [];
    for (let s = 0; s < n; s += 12)
      chunks.push(
        ...(
          await sampleFused({
            sampler,
            initial: initial.slice(s, s + 12),
            anchor: null,
            window: 12,
            overlap: 0,
            shift: false,
            predict: videoModel(sampler),
          })
        ).latents,
      );
    const fused = await sampleFused({
      sampler,
      initial,
      anchor: null,
      window: 12,
      overlap: 4,
      shift: true,
      predict: videoModel(sampler),
    });
    const boundaries = new Set([12, 24, 36]);
    expect(seamScore(fused.latents, boundaries)).toBeLessThan(seamScore(chunks, boundaries));
  });
});

describe('interleaved (PoseGen)', () => {
  it('held frames are fed at each step’s noise level and end exactly on the neighbour’s latents', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 5);
    const clean = init(100);
    const noise = frameNoise(3, 3, SIZE);
    const seenHeld: Float32Array[] = [];
    const spy: WindowPredictor = async (latents, frames, step) => (
      seenHeld.push(latents[0]!.slice()),
      videoModel(sampler)(latents, frames, step)
    );
    const out = await sampleWithHeldFrames(
      sampler,
      [init(0), init(1), init(2)],
      [0, 1, 2],
      [{ position: 0, clean, noise }],
      spy,
    );
    seenHeld.forEach((l, step) =>
      expect(maxDiff(l, sampler.noisedAt(clean, noise, step))).toBeLessThan(1e-6),
    );
    expect(Array.from(out[0]!)).toEqual(Array.from(clean));
  });

  it('yields every frame once, in order; anchors are independent; transitions honour their boundaries', async () => {
    const sampler = new DdimScheduler(sd15SchedulerConfig, 6);
    const T = 8;
    const O = 2;
    const n = 37; // chunks: A0 T1 A2 T3 A4 (last one short)
    const windows: number[][] = [];
    const predict: WindowPredictor = async (l, frames, step) => (
      windows.push([...frames]),
      videoModel(sampler)(l, frames, step)
    );
    const out: { frame: number; latent: Float32Array }[] = [];
    for await (const f of sampleInterleaved({
      sampler,
      frameCount: n,
      window: T,
      overlap: O,
      initial: init,
      holdNoise: (f) => frameNoise(5, f, SIZE),
      predict,
    }))
      out.push(f);
    expect(out.map((f) => f.frame)).toEqual(Array.from({ length: n }, (_, f) => f));
    // transition windows reach O frames into each neighbour
    expect(windows).toContainEqual(Array.from({ length: T + 2 * O }, (_, k) => T - O + k));
    // anchors: identical to sampling the chunk alone
    const alone = await sampleWithHeldFrames(
      sampler,
      [16, 17, 18, 19, 20, 21, 22, 23].map(init),
      [16, 17, 18, 19, 20, 21, 22, 23],
      [],
      videoModel(sampler),
    );
    alone.forEach((l, k) => expect(maxDiff(l, out[16 + k]!.latent)).toBeLessThan(1e-6));
    // boundaries: the step into and out of a transition is no larger than inside it, unlike
    // sampling the transition chunk on its own
    const latents = out.map((f) => f.latent);
    const boundaries = new Set([8, 16, 24, 32]);
    const independent: Float32Array[] = [];
    for (let s = 0; s < n; s += T) {
      const frames = Array.from({ length: Math.min(T, n - s) }, (_, k) => s + k);
      independent.push(
        ...(await sampleWithHeldFrames(sampler, frames.map(init), frames, [], videoModel(sampler))),
      );
    }
    expect(seamScore(latents, boundaries)).toBeLessThan(seamScore(independent, boundaries));
  });

  it('refuses an overlap that does not fit', async () => {
    const gen = sampleInterleaved({
      sampler: new DdimScheduler(sd15SchedulerConfig, 1),
      frameCount: 10,
      window: 4,
      overlap: 3,
      initial: init,
      holdNoise: init,
      predict: perFrame,
    });
    await expect(gen.next()).rejects.toThrow(/overlap/);
  });
});
