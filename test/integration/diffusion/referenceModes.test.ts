/**
 * Reference fidelity settings on the tiny pack through the product path (renderVideo →
 * DiffusionWorker): the defaults keep today's frames; `noised` (reference-only style: one writer
 * pass per step on the reference noised with seeded noise) and AdaIN are deterministic and change
 * the frames; a style fidelity the UNet graph cannot take is refused saying why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { createPerson, type PoseFrame } from '#shared/pose/types';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyPackPose } from '#test/helpers/tinyPackPose';

let root: string;
let generator: DiffusionGenerator;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'reference-modes-'));
  generator = await DiffusionGenerator.open(
    await buildTinyPack(join(root, 'pack')),
    new LocalSessionProvider(),
    { bankCacheDir: null },
  );
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

function request(over: Partial<DiffusionRenderRequest> = {}): DiffusionRenderRequest {
  return {
    reference: {
      width: 64,
      height: 64,
      data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 5) % 241),
    },
    referencePose: frame(0),
    poses: Array.from({ length: 6 }, (_, f) => frame(f % 5)),
    prompt: 'a dancer',
    negativePrompt: '',
    seed: 3,
    steps: 3,
    guidanceScale: 4,
    window: 3,
    overlap: 1,
    strategy: 'fused',
    ...over,
  };
}

const same = (a: { frames: { data: Uint8Array }[] }, b: { frames: { data: Uint8Array }[] }) =>
  a.frames.every((f, i) => Buffer.compare(f.data, b.frames[i]!.data) === 0);

describe('reference modes, style fidelity, AdaIN', () => {
  it('the defaults (clean, fidelity 0, AdaIN off) are the frames of a render without them', async () => {
    const plain = await renderVideo(generator, request());
    const explicit = await renderVideo(
      generator,
      request({ referenceMode: 'clean', styleFidelity: 0, referenceAdain: false }),
    );
    expect(same(plain, explicit)).toBe(true);
  });

  for (const strategy of ['fused', 'independent', 'chained'] as const)
    it(`${strategy}: noised reference = one writer pass per step and window, deterministic, other frames`, async () => {
      const clean = await renderVideo(generator, request({ strategy }));
      const a = await renderVideo(generator, request({ strategy, referenceMode: 'noised' }));
      const b = await renderVideo(generator, request({ strategy, referenceMode: 'noised' }));
      expect(same(a, b)).toBe(true);
      expect(same(a, clean)).toBe(false);
      // `clean`: at most one pass per render (the generator remembers the bank across renders);
      // `noised`: one writer pass per step (windows of one step share it) in every worker call.
      expect(clean.stats.referencePasses).toBeLessThanOrEqual(1);
      expect(b.stats.referencePasses).toBeGreaterThanOrEqual(3);
    });

  it('AdaIN changes the frames, deterministically', async () => {
    const off = await renderVideo(generator, request());
    const a = await renderVideo(generator, request({ referenceAdain: true }));
    const b = await renderVideo(generator, request({ referenceAdain: true }));
    expect(same(a, b)).toBe(true);
    expect(same(a, off)).toBe(false);
  });

  it('style fidelity mixes plain self-attention into the unconditional half, deterministically', async () => {
    // The one reference UNet graph (surgery/referenceUnet.ts) has the style_fidelity input.
    expect(generator.unet.session.inputNames).toContain('style_fidelity');
    const a = await renderVideo(generator, request({ styleFidelity: 0.5 }));
    expect(same(a, await renderVideo(generator, request({ styleFidelity: 0.5 })))).toBe(true);
    expect(same(a, await renderVideo(generator, request()))).toBe(false);
    // Without guidance there is no unconditional half: any fidelity is the reference only.
    const unguided = await renderVideo(
      generator,
      request({ guidanceScale: 1, styleFidelity: 0.5 }),
    );
    expect(same(unguided, await renderVideo(generator, request({ guidanceScale: 1 })))).toBe(true);
  });
});
