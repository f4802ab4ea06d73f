/**
 * startEngineDiffusionWorkers against startDiffusionWorkers (in-process): the same project
 * settings, the same picture file (EXIF-rotated JPEG, not the output's aspect, so canvas fitting
 * matters), the real segment runner and dispatcher; frames compared byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import type { RgbImage } from '#shared/image/rgbImage';
import { PROJECT_VERSION, ProjectSchema } from '#shared/project/index';
import { hashOf } from '#shared/render/hash';
import { planRender } from '#shared/render/plan';
import type { RenderStrategy } from '#shared/render/strategy';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher } from './dispatcher';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { runSegments } from '#main/scheduler/segmentRunner';
import type { RenderWorker } from '#shared/render/worker';
import { startDiffusionWorkers } from '#test/helpers/diffusion/inProcessDiffusionWorkers';
import { prepareDiffusionSetup } from './diffusionSetup';
import { startEngineDiffusionWorkers } from './engineDiffusionWorkers';

let root: string;
let picturePath: string;
let setup: NonNullable<Awaited<ReturnType<typeof prepareDiffusionSetup>>>;
const output = { width: 64, height: 64 };

/** A pose in the picture's pixels (48 × 96 once the EXIF rotation is applied). */
function points(lift: number): Float64Array {
  const p = emptyPoints();
  const set = (j: number, x: number, y: number) => setPoint(p, j, x, y, 1);
  set(Joint.neck, 24, 20);
  set(Joint.rShoulder, 14, 22);
  set(Joint.lShoulder, 34, 22);
  set(Joint.rElbow, 8, 40 - lift * 3);
  set(Joint.lElbow, 40, 40 - lift * 3);
  set(Joint.rHip, 18, 60);
  set(Joint.lHip, 30, 60);
  return p;
}
const character = () => ({ picturePath, referencePose: points(0) });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'engine-diffusion-workers-'));
  const packDir = await buildTinyPack(join(root, 'pack'));
  // Stored 96 × 48 with EXIF orientation 6: shown (and used) as 48 × 96.
  const raw = Buffer.from(Array.from({ length: 96 * 48 * 3 }, (_, i) => (i * 7 + (i >> 5)) % 256));
  picturePath = join(root, 'character.jpg');
  await sharp(raw, { raw: { width: 96, height: 48, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toFile(picturePath);
  const project = ProjectSchema.parse({
    version: PROJECT_VERSION,
    generator: {
      id: 'diffusion',
      params: { pack: packDir, steps: 3, guidance: 2, prompt: 'a dancer', negativePrompt: 'blur' },
    },
    output: { ...output, fps: 24, range: { from: 0, to: 12 } },
  });
  setup = (await prepareDiffusionSetup(root, project, { from: 0, to: 12 }))!;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Renders a plan through the segment runner with `workers`; all frames in order. */
async function render(
  workers: RenderWorker[],
  strategy: RenderStrategy,
  frames: number,
  overlap: number,
  cacheDir: string,
): Promise<RgbImage[]> {
  const plan = planRender(
    { from: 0, to: frames, segmentLength: 4, segmentOverlap: overlap, strategy, anchorFrame: -1 },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf(strategy) },
  );
  const out: RgbImage[] = [];
  const dispatcher = new Dispatcher(workers);
  await runSegments({
    jobId: 'j',
    plan,
    cache: new SegmentCache(join(root, cacheDir, strategy)),
    dispatcher,
    poses: (s) =>
      Array.from({ length: s.windowEnd - s.windowStart }, (_, k) =>
        points((s.windowStart + k) % 4),
      ),
    deliver: async (_s, f) => void out.push(...f),
  });
  return out;
}

describe('startEngineDiffusionWorkers', () => {
  it('renders the same frames as startDiffusionWorkers (interleaved with 2 workers, fused group)', async () => {
    const inProcess = await startDiffusionWorkers(2, setup, character(), output);
    // Its own bank cache: the engine computes the reference bank itself (once, two workers).
    const engineSetup = { ...setup, bankCacheDir: join(root, 'engine-banks') };
    const inEngine = await startEngineDiffusionWorkers(2, engineSetup, character(), output);
    try {
      for (const [strategy, frames, overlap] of [
        ['interleaved', 12, 1],
        ['fused', 10, 1],
      ] as const) {
        const a = await render(inProcess, strategy, frames, overlap, 'local');
        const b = await render(inEngine, strategy, frames, overlap, 'engine');
        expect(b).toHaveLength(frames);
        for (const [k, f] of b.entries()) {
          expect([f.width, f.height]).toEqual([64, 64]);
          expect(Buffer.from(f.data).equals(Buffer.from(a[k]!.data)), `${strategy} ${k}`).toBe(
            true,
          );
        }
      }
    } finally {
      for (const w of [...inProcess, ...inEngine]) await w.close();
    }
  });

  it('turns an abort into the scheduler’s CancelledError and refuses a missing picture', async () => {
    const [worker] = await startEngineDiffusionWorkers(1, setup, character(), output);
    try {
      const plan = planRender(
        {
          from: 0,
          to: 4,
          segmentLength: 4,
          segmentOverlap: 0,
          strategy: 'independent',
          anchorFrame: -1,
        },
        { frameHash: (f) => hashOf(f), settingsHash: hashOf('c') },
      );
      const abort = new AbortController();
      const call = worker!.renderSegment(
        {
          jobId: 'j',
          segment: plan.segments[0]!,
          poses: [0, 1, 2, 3].map(points),
          dependencies: [],
        },
        abort.signal,
      );
      abort.abort();
      await expect(call).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await worker!.close();
    }
    await expect(
      startEngineDiffusionWorkers(
        1,
        setup,
        { ...character(), picturePath: join(root, 'gone.png') },
        output,
      ),
    ).rejects.toThrow(/gone\.png/);
  });
});
