/**
 * renderVideo (what the diffusion tests and `npm run bench:diffusion` call) against the product's
 * path: the same plan through the scheduler's segment runner and dispatcher (segment cache on
 * disk) over a DiffusionWorker, as the engine runs it for `pose-studio render`. Byte for byte,
 * every strategy, with and without cross-frame attention. Before one orchestration, the old
 * one-call render's `chained` fed latents back and colour-corrected the first window: it gave
 * other frames than a project render.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import type { RgbImage } from '#shared/image/rgbImage';
import type { RenderStrategy } from '#shared/render/strategy';
import { createPerson, type PoseFrame } from '#shared/pose/types';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { runSegments } from '#main/scheduler/segmentRunner';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyPackPose } from '#test/helpers/tinyPackPose';

let root: string;
let generator: DiffusionGenerator;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'render-video-'));
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

function request(strategy: RenderStrategy, crossFrame: 'off' | 'previous'): DiffusionRenderRequest {
  return {
    reference: {
      width: 64,
      height: 64,
      data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 3) % 251),
    },
    referencePose: frame(0),
    poses: Array.from({ length: 11 }, (_, f) => frame((f * 3) % 7)),
    prompt: 'a dancer',
    seed: 4,
    steps: 2,
    guidanceScale: 1,
    window: 4,
    overlap: strategy === 'independent' ? 0 : 2,
    strategy,
    crossFrame,
  };
}

/** The same request as `pose-studio render` runs it: segment runner, dispatcher, cache. */
async function throughScheduler(
  req: DiffusionRenderRequest,
  plan: Awaited<ReturnType<typeof renderVideo>>['plan'],
) {
  const worker = new DiffusionWorker('scheduler', generator, {
    reference: req.reference,
    referencePose: req.referencePose.people[0]!.points,
    prompt: req.prompt,
    seed: req.seed,
    steps: req.steps,
    guidanceScale: req.guidanceScale,
    crossFrame: req.crossFrame ?? 'off',
  });
  const frames: RgbImage[] = [];
  await runSegments({
    jobId: 'scheduler',
    plan,
    cache: new SegmentCache(mkdtempSync(join(root, 'cache-'))),
    dispatcher: new Dispatcher([worker]),
    poses: (s) => req.poses.slice(s.windowStart, s.windowEnd).map((p) => p.people[0]!.points),
    deliver: async (_s, f) => void frames.push(...f),
  });
  return frames;
}

describe('renderVideo is the product’s orchestration', () => {
  for (const crossFrame of ['off', 'previous'] as const)
    for (const strategy of ['independent', 'fused', 'interleaved', 'chained'] as const)
      it(`${strategy}, cross-frame ${crossFrame}: the frames of a project render, byte for byte`, async () => {
        const req = request(strategy, crossFrame);
        const seen: number[] = [];
        const video: RgbImage[] = [];
        const out = await renderVideo(generator, req, (f, image) => {
          seen.push(f);
          video.push(image);
        });
        expect(seen).toEqual(Array.from({ length: 11 }, (_, f) => f));
        const expected = await throughScheduler(req, out.plan);
        expect(expected).toHaveLength(11);
        video.forEach((image, f) =>
          expect(Buffer.from(image.data).equals(Buffer.from(expected[f]!.data)), `frame ${f}`).toBe(
            true,
          ),
        );
      });
});
