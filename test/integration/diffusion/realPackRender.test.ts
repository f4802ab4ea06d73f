/**
 * Renders on the real-structure fixture packs (../shared/fixtures/sd15-tiny-real: diffusers'
 * own export of SD1.5's block structure at tiny width, Amuse/OnnxStack-named ControlNet and
 * ControlNet-aware UNet), composed as a user composes them: the base pack plus the separately
 * downloaded ControlNet and replacement UNet folders. 16 frames at 64×64, every strategy, on
 * the CPU provider, twice: the frames must be identical (the VAE encoder's RandomNormalLike is
 * replaced by the distribution mean at load).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import type { RenderStrategy } from '#shared/render/strategy';
import { createPerson, type PoseFrame } from '#shared/pose/types';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { encodeImage } from '#main/engine/diffusion/pipeline/vae';
import { renderVideo } from '#main/engine/diffusion/strategies/renderVideo';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyPackPose } from '#test/helpers/tinyPackPose';

const ROOT = resolve(__dirname, '../../..');
const REAL = resolve(ROOT, '../shared/fixtures/sd15-tiny-real');
const sources = {
  packDir: join(REAL, 'diffusers-onnx'),
  controlNetPath: join(REAL, 'controlnet-openpose-onnx/controlnet'),
  unetPath: join(REAL, 'controlnet-openpose-onnx/unet'),
};

let root: string;
let generator: DiffusionGenerator;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'real-pack-render-'));
  generator = await DiffusionGenerator.open(sources, new LocalSessionProvider(), {
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

const reference: RgbImage = {
  width: 64,
  height: 64,
  data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7) % 253),
};

async function render(strategy: RenderStrategy): Promise<RgbImage[]> {
  const out = await renderVideo(generator, {
    reference,
    referencePose: frame(0),
    poses: Array.from({ length: 16 }, (_, f) => frame((f % 5) - 2)),
    prompt: 'a dancer',
    negativePrompt: 'blurry',
    seed: 11,
    steps: 2,
    guidanceScale: 2,
    window: 8,
    overlap: strategy === 'independent' ? 0 : 2,
    strategy,
  });
  return out.frames;
}

describe('a composed real-structure pack renders on CPU, deterministically', () => {
  it('the reference latent is the VAE mean: two encodings are identical', async () => {
    const a = await encodeImage(generator.pack, reference);
    const b = await encodeImage(generator.pack, reference);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  for (const strategy of ['independent', 'fused', 'interleaved', 'chained'] as const)
    it(`${strategy}: 16 frames at 64×64, the same bytes on a second run`, async () => {
      const first = await render(strategy);
      const second = await render(strategy);
      expect(first).toHaveLength(16);
      for (const [f, image] of first.entries()) {
        expect([image.width, image.height]).toEqual([64, 64]);
        expect(Buffer.from(image.data).equals(Buffer.from(second[f]!.data)), `frame ${f}`).toBe(
          true,
        );
      }
      // Not a blank or constant image: the random-weight model still makes varied pixels.
      const values = new Set(first[0]!.data);
      expect(values.size).toBeGreaterThan(16);
    });
});
