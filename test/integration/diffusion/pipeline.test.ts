import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { relativeError } from '#shared/diffusion/latents/latentMath';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { DdimScheduler } from '#shared/diffusion/schedulers/ddimScheduler';
import type { RgbImage } from '#shared/image/rgbImage';
import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';
import { renderConditioning } from '#shared/pose/conditioning';
import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import { Denoiser } from '#main/engine/diffusion/pipeline/denoiser';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { invertWindow, sampleWindow } from '#main/engine/diffusion/pipeline/sampling';
import { encodePrompt } from '#main/engine/diffusion/pipeline/textConditioning';
import { encodeImage } from '#main/engine/diffusion/pipeline/vae';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';

let root: string;
let packDir: string;
const provider = new LocalSessionProvider();
let generator: DiffusionGenerator;

/** A stick figure on a 64×64 canvas, arms raised by `lift` pixels. */
function pose(lift: number): PoseFrame {
  const p = createPerson();
  const set = (j: number, x: number, y: number) => setPoint(p.points, j, x, y, 1);
  set(Joint.nose, 32, 10);
  set(Joint.neck, 32, 18);
  set(Joint.rShoulder, 24, 18);
  set(Joint.lShoulder, 40, 18);
  set(Joint.rElbow, 18, 26 - lift);
  set(Joint.lElbow, 46, 26 - lift);
  set(Joint.rWrist, 14, 34 - 2 * lift);
  set(Joint.lWrist, 50, 34 - 2 * lift);
  set(Joint.rHip, 28, 38);
  set(Joint.lHip, 36, 38);
  set(Joint.rKnee, 27, 48);
  set(Joint.lKnee, 37, 48);
  set(Joint.rAnkle, 27, 58);
  set(Joint.lAnkle, 37, 58);
  return { width: 64, height: 64, people: [p] };
}

function picture(): RgbImage {
  const data = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) {
      const o = (y * 64 + x) * 3;
      data[o] = 4 * x;
      data[o + 1] = 4 * y;
      data[o + 2] = (x - 32) ** 2 + (y - 32) ** 2 < 200 ? 220 : 40;
    }
  return { width: 64, height: 64, data };
}

function request(over: Partial<DiffusionRenderRequest> = {}): DiffusionRenderRequest {
  return {
    reference: picture(),
    referencePose: pose(0),
    poses: [0, 1, 2, 3, 4].map(pose),
    prompt: 'a photo of a dancer',
    seed: 7,
    steps: 4,
    guidanceScale: 1,
    window: 2,
    ...over,
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'diffusion-pipeline-'));
  packDir = await buildTinyPack(join(root, 'pack'));
  generator = await DiffusionGenerator.open(packDir, provider, {
    bankCacheDir: join(root, 'banks'),
  });
});
afterAll(async () => {
  await generator?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('diffusion generator on the tiny pack', () => {
  it('renders every frame with exactly one reference pass, then reuses the bank from disk', async () => {
    const first = await renderVideo(generator, request());
    expect(first.frames).toHaveLength(5);
    expect(first.frames[0]).toMatchObject({ width: 64, height: 64 });
    expect(first.stats.referencePasses).toBe(1);
    expect(first.stats.bankFromCache).toBe(false);
    expect(first.stats.bankTokens).toBe(64);
    // 3 windows (2 + 2 + 1 frames) × 4 steps, guidance 1: one UNet and one ControlNet call each
    expect(first.stats.unetCalls).toBe(12);
    expect(first.stats.controlnetCalls).toBe(12 + 1); // + the reference pass, conditioned on its pose
    expect(first.stats.framePredictions).toBe(5 * 4);
    expect(readdirSync(join(root, 'banks')).filter((f) => f.endsWith('.bank'))).toHaveLength(1);

    const second = await renderVideo(generator, request());
    expect(second.stats.referencePasses).toBe(0);
    expect(second.stats.bankFromCache).toBe(true);
    // same seed, same bank (read back from disk) → the same pixels
    // a new generator (another process, another day) reads the bank back from disk
    // A bank read from disk counts as recently used (the cache pruner goes by mtime).
    const bankFile = join(
      root,
      'banks',
      readdirSync(join(root, 'banks')).find((f) => f.endsWith('.bank'))!,
    );
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(bankFile, old, old);
    const fresh = await DiffusionGenerator.open(packDir, provider, {
      bankCacheDir: join(root, 'banks'),
    });
    try {
      const third = await renderVideo(fresh, request());
      expect(third.stats.referencePasses).toBe(0);
      expect(third.stats.bankFromCache).toBe(true);
      expect(statSync(bankFile).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
      expect(Buffer.from(third.frames[2]!.data).equals(Buffer.from(first.frames[2]!.data))).toBe(
        true,
      );
    } finally {
      await fresh.dispose();
    }
    second.frames.forEach((f, i) =>
      expect(Buffer.from(f.data).equals(Buffer.from(first.frames[i]!.data))).toBe(true),
    );
  });

  it('a different reference picture computes a new bank', async () => {
    const other = picture();
    other.data[0] = 255 - other.data[0]!;
    const out = await renderVideo(generator, request({ reference: other, poses: [pose(1)] }));
    expect(out.stats.referencePasses).toBe(1);
  });

  it('guidance ≠ 1 doubles the batch, not the calls; guidance 1 skips the unconditional pass', async () => {
    const guided = await renderVideo(
      generator,
      request({ guidanceScale: 5, poses: [pose(1), pose(2)], seed: 1 }),
    );
    const plain = await renderVideo(
      generator,
      request({ guidanceScale: 1, poses: [pose(1), pose(2)], seed: 1 }),
    );
    expect(guided.stats.unetCalls).toBe(4);
    expect(plain.stats.unetCalls).toBe(4);
    const differs = guided.frames[0]!.data.some((v, i) => v !== plain.frames[0]!.data[i]);
    expect(differs).toBe(true);
  });

  it('seeded noise: same seed same video, other seed other video; poses change the frames', async () => {
    const a = await renderVideo(generator, request({ seed: 3, poses: [pose(0), pose(4)] }));
    const b = await renderVideo(generator, request({ seed: 3, poses: [pose(0), pose(4)] }));
    const c = await renderVideo(generator, request({ seed: 4, poses: [pose(0), pose(4)] }));
    expect(Buffer.from(a.frames[1]!.data).equals(Buffer.from(b.frames[1]!.data))).toBe(true);
    expect(Buffer.from(a.frames[1]!.data).equals(Buffer.from(c.frames[1]!.data))).toBe(false);
    // frame 0 and 1 share nothing but the pose differs, and their noise differs: check the pose alone
    const samePoseOtherFrame = await renderVideo(
      generator,
      request({ seed: 3, poses: [pose(4), pose(4)] }),
    );
    expect(
      Buffer.from(samePoseOtherFrame.frames[0]!.data).equals(Buffer.from(a.frames[0]!.data)),
    ).toBe(false);
  });

  it('PoseCrafter initialisation starts every frame from the inverted reference latent', async () => {
    const out = await renderVideo(
      generator,
      request({ init: 'inverted-reference', poses: [pose(0), pose(0)], window: 1 }),
    );
    // same pose, same start latent, no per-frame noise → identical frames
    expect(Buffer.from(out.frames[0]!.data).equals(Buffer.from(out.frames[1]!.data))).toBe(true);
    expect(out.stats.referencePasses).toBe(0); // bank already on disk from the first test
  });

  it('PoseCrafter with several references: each frame starts from the nearest one', async () => {
    const other = picture();
    for (let i = 0; i < other.data.length; i += 3) other.data[i] = 255 - other.data[i]!;
    const base = { init: 'inverted-reference' as const, poses: [pose(0), pose(4)], window: 2 };
    const one = await renderVideo(generator, request(base));
    const two = await renderVideo(
      generator,
      request({ ...base, extraReferences: [{ image: other, pose: pose(4) }] }),
    );
    expect(Buffer.from(two.frames[0]!.data).equals(Buffer.from(one.frames[0]!.data))).toBe(true);
    expect(Buffer.from(two.frames[1]!.data).equals(Buffer.from(one.frames[1]!.data))).toBe(false);
    expect(two.stats.referencePasses).toBe(0); // the appearance bank is still the main reference's (cached)
  });

  it('refuses empty renders and overlaps that do not fit the strategy', async () => {
    await expect(renderVideo(generator, request({ poses: [] }))).rejects.toThrow(/no poses/);
    await expect(renderVideo(generator, request({ window: 4, overlap: 4 }))).rejects.toThrow(
      /overlap/,
    );
    await expect(
      renderVideo(generator, request({ window: 4, overlap: 3, strategy: 'interleaved' })),
    ).rejects.toThrow(/window\/2/);
  });

  it('PoseCrafter body warp moves the inverted latent with the pose', async () => {
    const base = { init: 'inverted-reference' as const, poses: [pose(4)], window: 1 };
    const still = await renderVideo(generator, request({ ...base, latentEdit: false }));
    const warped = await renderVideo(generator, request({ ...base, latentEdit: 'body' }));
    expect(Buffer.from(warped.frames[0]!.data).equals(Buffer.from(still.frames[0]!.data))).toBe(
      false,
    );
  });

  it('refuses poses on a canvas of another size', async () => {
    const wrong = { ...pose(0), width: 128 };
    await expect(renderVideo(generator, request({ poses: [wrong] }))).rejects.toThrow(
      /128×64 canvas/,
    );
  });
});

describe('long-video strategies on the tiny pack', () => {
  const poses = [0, 1, 2, 3, 4, 3, 2, 1].map(pose);

  it('fused windows reproduce the single-window render (the UNet is per-frame independent given the bank)', async () => {
    const single = await renderVideo(generator, request({ poses, window: poses.length, seed: 21 }));
    const fused = await renderVideo(
      generator,
      request({ poses, window: 3, overlap: 1, strategy: 'fused', seed: 21 }),
    );
    fused.frames.forEach((f, i) => {
      let max = 0;
      f.data.forEach((v, k) => (max = Math.max(max, Math.abs(v - single.frames[i]!.data[k]!))));
      expect(max).toBeLessThanOrEqual(1); // float order of batched sums, then rounding to 8 bits
    });
    expect(fused.stats.referencePasses).toBe(0); // bank from the disk cache
    expect(fused.stats.predictionsPerFrameStep).toBeGreaterThan(1);
    expect(fused.stats.predictionsPerFrameStep).toBeLessThan(1.6);
  });

  it('interleaved: every frame once, transitions cost (T+2O)/T, anchors 1', async () => {
    const out = await renderVideo(
      generator,
      request({ poses, window: 2, overlap: 1, strategy: 'interleaved', seed: 5 }),
    );
    expect(out.frames).toHaveLength(8);
    // chunks A0 T1 A2 T3: anchors 2 frames each, transitions 2 + 2 held (the last has one neighbour)
    expect(out.stats.framePredictions).toBe((2 + 4 + 2 + 3) * 4);
  });

  it('chained: previous frames join the bank, colour drift is corrected and measured', async () => {
    const out = await renderVideo(
      generator,
      request({ poses, window: 3, overlap: 1, strategy: 'chained', seed: 5 }),
    );
    expect(out.frames).toHaveLength(8);
    // windows 2, 3 and 4 each re-see one previous frame (a window's T includes its O feedback frames)
    expect(out.stats.feedbackPasses).toBe(3);
    expect(out.stats.colourDriftAfter).toBeLessThan(out.stats.colourDriftBefore);
  });

  it('cross-frame attention couples the frames of a window', async () => {
    // Frame 1 keeps its pose and noise; only frame 0's pose changes between the two renders.
    const render = (first: number, crossFrame: 'off' | 'previous') =>
      renderVideo(
        generator,
        request({ poses: [pose(first), pose(3)], window: 2, seed: 13, crossFrame }),
      );
    const same = (a: RgbImage, b: RgbImage) => Buffer.from(a.data).equals(Buffer.from(b.data));
    const [offA, offB] = [await render(0, 'off'), await render(4, 'off')];
    expect(same(offA.frames[1]!, offB.frames[1]!)).toBe(true); // independent frames
    const [onA, onB] = [await render(0, 'previous'), await render(4, 'previous')];
    expect(same(onA.frames[1]!, onB.frames[1]!)).toBe(false); // frame 1 now sees frame 0
    expect(onA.stats.unetCalls).toBe(offA.stats.unetCalls); // same calls, longer keys
  });

  it('chained with overlap 0 feeds nothing back', async () => {
    const out = await renderVideo(
      generator,
      request({ poses, window: 3, overlap: 0, strategy: 'chained', seed: 5 }),
    );
    expect(out.stats.feedbackPasses).toBe(0);
  });

  it('streams frames to a sink in order', async () => {
    const seen: number[] = [];
    const out = await renderVideo(
      generator,
      request({ poses, window: 2, overlap: 1, strategy: 'interleaved' }),
      (f) => {
        seen.push(f);
      },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.frames).toHaveLength(0);
  });
});

describe('DDIM inversion round trip', () => {
  it('inverting a latent and sampling it back returns it within 2% at 50 steps', async () => {
    const pack = generator.pack;
    const denoiser = new Denoiser(pack, generator.unet, {
      guidanceScale: 1,
      conditioningScale: 1,
      latentHeight: 8,
      latentWidth: 8,
    });
    const text = await encodePrompt(pack, 'a photo of a dancer', null);
    // A latent of SD's scale (unit variance after × 0.18215); the tiny random VAE's own latents
    // are far smaller, which would make any relative error look huge.
    const clean = frameNoise(5, 0, 256);
    const conditions = [imageToPlanar(renderConditioning(pose(2)), 0, 1)];
    const bank = await denoiser.writeBank(
      await encodeImage(pack, picture()),
      0,
      text,
      conditions[0]!,
    );
    const inputs = { text, conditions, bank };
    const ddim = new DdimScheduler(pack.manifest.scheduler, 50);
    const [noisy] = await invertWindow(denoiser, ddim, [clean], inputs);
    const [back] = await sampleWindow(denoiser, ddim, [noisy!], inputs);
    const error = relativeError(back!, clean);
    expect(error).toBeLessThan(0.02);
    expect(relativeError(noisy!, clean)).toBeGreaterThan(0.5); // it really went somewhere
    // The residual error is the model-evaluation mismatch of inversion; it shrinks with the step.
    const coarse = new DdimScheduler(pack.manifest.scheduler, 5);
    const [n5] = await invertWindow(denoiser, coarse, [clean], inputs);
    const [b5] = await sampleWindow(denoiser, coarse, [n5!], inputs);
    expect(relativeError(b5!, clean)).toBeGreaterThan(error);
    expect(denoiser.stats.unetCalls).toBe(2 * 50 + 2 * 5);
  });
});
