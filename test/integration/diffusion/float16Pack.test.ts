import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';

let root: string;
let half: DiffusionGenerator;
let full: DiffusionGenerator;

function pose(lift: number): PoseFrame {
  const p = createPerson();
  const set = (j: number, x: number, y: number) => setPoint(p.points, j, x, y, 1);
  set(Joint.neck, 32, 16);
  set(Joint.rShoulder, 24, 16);
  set(Joint.lShoulder, 40, 16);
  set(Joint.rElbow, 18, 26 - lift);
  set(Joint.lElbow, 46, 26 - lift);
  set(Joint.rHip, 28, 38);
  set(Joint.lHip, 36, 38);
  return { width: 64, height: 64, people: [p] };
}

const request: DiffusionRenderRequest = {
  reference: {
    width: 64,
    height: 64,
    data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 13) % 256),
  },
  referencePose: pose(0),
  poses: [pose(1), pose(3)],
  prompt: 'a dancer',
  negativePrompt: 'blurry',
  seed: 3,
  steps: 3,
  guidanceScale: 3,
  window: 2,
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fp16-pack-'));
  // same seed → same weights; only the I/O precision differs
  half = await DiffusionGenerator.open(
    await buildTinyPack(join(root, 'half'), { float16Io: true }),
    new LocalSessionProvider(),
    {
      bankCacheDir: join(root, 'banks'),
    },
  );
  full = await DiffusionGenerator.open(
    await buildTinyPack(join(root, 'full')),
    new LocalSessionProvider(),
  );
});
afterAll(async () => {
  await half?.dispose();
  await full?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('float16 packs', () => {
  it('are recognised as float16', () => {
    expect(half.pack.signatures.unet).toMatchObject({
      floatType: 'float16',
      timestepType: 'float16',
    });
    expect(half.pack.signatures.controlnet?.floatType).toBe('float16');
    expect(half.pack.signatures.vaeEncoder.inputType).toBe('float16');
    expect(half.pack.signatures.vaeDecoder.inputType).toBe('float16');
  });

  it('render like the float32 pack up to half-precision rounding', async () => {
    const a = await renderVideo(half, request);
    const b = await renderVideo(full, request);
    expect(a.stats.referencePasses).toBe(1);
    expect(a.frames).toHaveLength(2);
    a.frames.forEach((f, i) => {
      let sum = 0;
      f.data.forEach((v, k) => (sum += Math.abs(v - b.frames[i]!.data[k]!)));
      expect(sum / f.data.length).toBeLessThan(2); // mean |Δ| in 8-bit levels
    });
    // and the on-disk bank written from the float16 pack is read back on the next render
    const again = await renderVideo(half, request);
    expect(again.stats.bankFromCache).toBe(true);
    expect(Buffer.from(again.frames[0]!.data).equals(Buffer.from(a.frames[0]!.data))).toBe(true);
  });
});
