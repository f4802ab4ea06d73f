/**
 * The memory budget splits UNet calls into micro-batches; what a user sees must not change. On
 * the tiny pack through the whole product path (renderVideo → DiffusionWorker → Denoiser, every
 * strategy, budget tight vs off), and on the real-structure fixture packs
 * (../shared/fixtures/sd15-tiny-real: diffusers' UNet, the Amuse/OnnxStack ControlNet and
 * ControlNet-aware UNet) through the Denoiser with its ControlNet and guidance.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { estimateMemory } from '#shared/diffusion/memory/memoryEstimate';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import type { RenderStrategy } from '#shared/render/strategy';
import { createPerson, type PoseFrame } from '#shared/pose/types';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import { Denoiser } from '#main/engine/diffusion/pipeline/denoiser';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { memoryInputs } from '#main/engine/diffusion/pipeline/packMemory';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { ReferenceUnet } from '#main/engine/diffusion/surgery/referenceUnet';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyPackPose } from '#test/helpers/tinyPackPose';

const fixtures = resolve(import.meta.dirname, '../../..', '../shared/fixtures/sd15-tiny-real');

let root: string;
let generator: DiffusionGenerator;
const provider = new LocalSessionProvider();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'micro-batch-'));
  generator = await DiffusionGenerator.open(await buildTinyPack(join(root, 'pack')), provider, {
    bankCacheDir: null,
  });
});
afterAll(async () => {
  await generator?.dispose();
  rmSync(root, { recursive: true, force: true });
});

function frame(lift: number): PoseFrame {
  const person = createPerson();
  person.points.set(tinyPackPose(lift));
  return { width: 64, height: 64, people: [person] };
}

function request(strategy: RenderStrategy, budget: number | null): DiffusionRenderRequest {
  return {
    reference: {
      width: 64,
      height: 64,
      data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7) % 253),
    },
    referencePose: frame(0),
    poses: Array.from({ length: 9 }, (_, f) => frame((f * 3) % 7)),
    prompt: 'a dancer',
    negativePrompt: 'blurry',
    seed: 11,
    steps: 2,
    guidanceScale: 5,
    window: 4,
    overlap: strategy === 'independent' ? 0 : 2,
    strategy,
    memoryBudgetBytes: budget,
  };
}

/**
 * A budget that leaves room for exactly `items` UNet items per call at 64² (the tiny pack's VAE
 * decoder needs about 3 items' room per frame, so 3 is the fewest its budget can allow; one item
 * per call is checked on the fixtures below).
 */
function budgetFor(items: number, crossFrame = false): number {
  const e = estimateMemory(memoryInputs(generator.memory, { width: 64, height: 64, crossFrame }));
  expect(items * e.perItemBytes + e.perItemBytes / 2).toBeGreaterThan(e.decodeBytesPerFrame);
  return e.fixedBytes + items * e.perItemBytes + Math.floor(e.perItemBytes / 2);
}

describe('micro-batching under a memory budget (tiny pack, product path)', () => {
  for (const strategy of ['independent', 'fused', 'interleaved', 'chained'] as const)
    it(`${strategy}: frames with 3 items per call equal the unsplit render byte for byte`, async () => {
      const off = await renderVideo(generator, request(strategy, null));
      const split = await renderVideo(generator, request(strategy, budgetFor(3)));
      expect(off.stats.itemsPerCall).toBe(Infinity);
      expect(split.stats.itemsPerCall).toBe(3);
      // Guidance doubles 4 (or 5 with the fused anchor) frames to 8–10 items: split into 3–4 calls.
      expect(split.stats.unetCalls).toBeGreaterThan(off.stats.unetCalls);
      expect(split.stats.unetCalls).toBeGreaterThanOrEqual(Math.ceil(split.stats.unetItems / 3));
      expect(split.stats.unetItems).toBe(off.stats.unetItems);
      expect(split.frames.length).toBe(9);
      for (const [f, image] of split.frames.entries())
        expect(Buffer.compare(image.data, off.frames[f]!.data), `frame ${f}`).toBe(0);
    });

  it('refuses before any UNet call when not even one item fits, saying how much it needs', async () => {
    const e = estimateMemory(memoryInputs(generator.memory, { width: 64, height: 64 }));
    const req = request('independent', e.fixedBytes - 1);
    await expect(renderVideo(generator, req)).rejects.toThrow(
      /cannot hold even one UNet item at 64×64: that needs ≈ [\d.]+ GB .*Raise the memory budget/,
    );
  });

  it('cross-frame attention is never split: refused when the window does not fit', async () => {
    const req = { ...request('independent', budgetFor(3, true)), crossFrame: 'previous' as const };
    await expect(renderVideo(generator, req)).rejects.toThrow(
      /cross-frame attention needs a whole window \(8 UNet items\) in one call/,
    );
    const fits = await renderVideo(generator, {
      ...request('independent', budgetFor(8, true)),
      crossFrame: 'previous',
    });
    const off = await renderVideo(generator, {
      ...request('independent', null),
      crossFrame: 'previous',
    });
    for (const [f, image] of fits.frames.entries())
      expect(Buffer.compare(image.data, off.frames[f]!.data), `frame ${f}`).toBe(0);
  });
});

/**
 * A pack of fixture models for the Denoiser: the signatures say what the loader would recognise
 * (the residual names of the Amuse/OnnxStack layout), so this checks the split, not the loader.
 */
async function fixturePack(
  dir: string,
  controlnet: boolean,
): Promise<{
  pack: OpenPack;
  unet: ReferenceUnet;
  close(): Promise<void>;
}> {
  const unet = await ReferenceUnet.open(join(dir, 'unet', 'model.onnx'), provider);
  const cn = controlnet
    ? await ort.InferenceSession.create(join(dir, 'controlnet', 'model.onnx'))
    : null;
  const down = Array.from({ length: 12 }, (_, i) => `down_block_${i}_additional_residual`);
  const mid = 'mid_block_additional_residual';
  const pack = {
    signatures: {
      unet: {
        floatType: 'float32',
        timestepType: 'float32',
        timestepRank: 1,
        textDim: 32,
        residuals: controlnet ? { down, mid } : null,
      },
      controlnet: controlnet
        ? {
            floatType: 'float32',
            timestepType: 'float32',
            timestepRank: 1,
            condName: 'controlnet_cond',
            residuals: { down, mid },
            conditioningScale: { rank: 0 },
          }
        : null,
    },
    sessions: { controlnet: cn },
  } as unknown as OpenPack;
  return {
    pack,
    unet,
    close: async () => {
      await unet.dispose();
      await cn?.release();
    },
  };
}

function randoms(seed: number, n: number, length: number, scale = 1): Float32Array[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () =>
    Float32Array.from({ length }, () => (rng.uniform() * 2 - 1) * scale),
  );
}

describe('micro-batching on the real-structure fixture packs', () => {
  const cases = [
    { pack: 'diffusers-onnx', controlnet: false },
    { pack: 'controlnet-openpose-onnx', controlnet: true },
  ];
  for (const c of cases)
    it.skipIf(!existsSync(join(fixtures, c.pack)))(
      `${c.pack}: 6 frames with guidance (12 items) in calls of 1, 5 and 12 agree within 1e-6`,
      async () => {
        const { pack, unet, close } = await fixturePack(join(fixtures, c.pack), c.controlnet);
        try {
          const latents = randoms(1, 6, 4 * 8 * 8);
          const text = {
            cond: randoms(2, 1, 77 * 32)[0]!,
            uncond: randoms(3, 1, 77 * 32)[0]!,
            tokens: 77,
            dim: 32,
          };
          const conditions = c.controlnet
            ? randoms(4, 6, 3 * 64 * 64).map((x) => x.map(Math.abs))
            : null;
          const writer = new Denoiser(pack, unet, {
            guidanceScale: 7.5,
            conditioningScale: 1,
            latentHeight: 8,
            latentWidth: 8,
          });
          const bank = await writer.writeBank(
            randoms(5, 1, 256)[0]!,
            0,
            text,
            conditions?.[0] ?? null,
          );
          const predict = (maxItemsPerCall: number) =>
            new Denoiser(pack, unet, {
              guidanceScale: 7.5,
              conditioningScale: 1,
              latentHeight: 8,
              latentWidth: 8,
              maxItemsPerCall,
            }).predict(latents, 501, text, conditions, bank);
          const whole = await predict(12);
          let worst = 0;
          for (const items of [1, 5]) {
            const split = await predict(items);
            for (const [f, p] of split.entries())
              for (let i = 0; i < p.length; i++)
                worst = Math.max(worst, Math.abs(p[i]! - whole[f]![i]!));
          }
          console.log(`${c.pack}: max |split − whole| = ${worst.toExponential(2)}`);
          expect(worst).toBeLessThanOrEqual(1e-6);
        } finally {
          await close();
        }
      },
      // Two sessions of an 8,000-node graph and three predictions: ~35 s alone, more under load.
      300_000,
    );
});
