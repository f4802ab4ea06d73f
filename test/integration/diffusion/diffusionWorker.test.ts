import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { renderVideo } from '#main/engine/diffusion/strategies/renderVideo';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import type { DiffusionWorkerSettings } from '#main/engine/diffusion/strategies/workerSettings';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import type { RgbImage } from '#shared/image/rgbImage';
import { hashOf } from '#shared/render/hash';
import { executionOrder, planRender } from '#shared/render/plan';
import type { RenderStrategy } from '#shared/render/strategy';
import { tinyPackPose as points } from '#test/helpers/tinyPackPose';

let root: string;
let generator: DiffusionGenerator;
let writerRuns = 0;

const settings: DiffusionWorkerSettings = {
  reference: {
    width: 64,
    height: 64,
    data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 5) % 256),
  },
  referencePose: points(0),
  prompt: 'a dancer',
  seed: 9,
  steps: 3,
  guidanceScale: 1,
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'diffusion-worker-'));
  generator = await DiffusionGenerator.open(
    await buildTinyPack(join(root, 'pack')),
    new LocalSessionProvider(),
  );
  // Bank passes (reference and feedback): the reference UNet's writeBank.
  const writer = generator.unet;
  const run = writer.writeBank.bind(writer) as (...a: unknown[]) => Promise<unknown>;
  (writer as { writeBank: unknown }).writeBank = (...a: unknown[]) => {
    writerRuns++;
    return run(...a);
  };
});
afterAll(async () => {
  await generator?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Runs a whole plan through the worker in execution order, feeding dependencies. */
async function renderPlan(
  strategy: RenderStrategy,
  frames: number,
  window: number,
  overlap: number,
) {
  const plan = planRender(
    {
      from: 0,
      to: frames,
      segmentLength: window,
      segmentOverlap: overlap,
      strategy,
      anchorFrame: -1,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
  );
  const worker = new DiffusionWorker('w', generator, settings);
  const delivered = new Map<number, RgbImage[]>();
  for (const i of executionOrder(plan)) {
    const segment = plan.segments[i]!;
    const poses = Array.from({ length: segment.windowEnd - segment.windowStart }, (_, k) =>
      points((segment.windowStart + k) % 5),
    );
    const images = await worker.renderSegment(
      { jobId: 'j', segment, poses, dependencies: segment.after.map((a) => delivered.get(a)!) },
      new AbortController().signal,
    );
    expect(images).toHaveLength(segment.end - segment.start);
    delivered.set(i, images);
  }
  return { plan, frames: plan.segments.flatMap((s) => delivered.get(s.index)!) };
}

describe('DiffusionWorker behind the segment scheduler', () => {
  it('interleaved plan: anchors, then transitions held to their neighbours; one reference pass', async () => {
    writerRuns = 0;
    const { plan, frames } = await renderPlan('interleaved', 12, 4, 1);
    expect(plan.segments.map((s) => s.role)).toEqual(['anchor', 'transition', 'anchor']);
    expect(frames).toHaveLength(12);
    expect(writerRuns).toBe(1); // the bank is shared by every segment
  });

  it('chained plan: the previous segment’s frames join the bank', async () => {
    writerRuns = 0;
    const { plan, frames } = await renderPlan('chained', 10, 4, 1);
    expect(frames).toHaveLength(10);
    const feedbackWindows = plan.segments.filter((s) => s.after.length > 0).length;
    expect(writerRuns).toBe(feedbackWindows); // bank remembered from the last test; 1 feedback frame each
  });

  it('fused group: one renderGroup call equals the generator’s fused render of the same frames', async () => {
    const plan = planRender(
      { from: 0, to: 10, segmentLength: 4, segmentOverlap: 1, strategy: 'fused', anchorFrame: -1 },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    );
    expect(plan.segments.length).toBeGreaterThanOrEqual(3);
    const worker = new DiffusionWorker('w', generator, settings);
    const requests = plan.segments.map((segment) => ({
      jobId: 'j',
      segment,
      poses: Array.from({ length: segment.windowEnd - segment.windowStart }, (_, k) =>
        points((segment.windowStart + k) % 5),
      ),
      dependencies: [],
      plan: { strategy: 'fused' as const, segmentLength: 4, segmentOverlap: 1 },
    }));
    writerRuns = 0;
    const group = await worker.renderGroup(requests, new AbortController().signal);
    expect(group.map((f) => f.length)).toEqual(plan.segments.map((s) => s.end - s.start));
    const canvas = (p: Float64Array) => ({ width: 64, height: 64, people: [{ id: 0, points: p }] });
    const whole = await renderVideo(generator, {
      reference: settings.reference,
      referencePose: canvas(settings.referencePose),
      poses: Array.from({ length: 10 }, (_, f) => canvas(points(f % 5))),
      prompt: settings.prompt,
      seed: settings.seed,
      steps: settings.steps,
      guidanceScale: settings.guidanceScale,
      window: 4,
      overlap: 1,
      strategy: 'fused',
    });
    const flat = group.flat();
    expect(flat).toHaveLength(10);
    flat.forEach((img, f) => expect(img.data, `frame ${f}`).toEqual(whole.frames[f]!.data));
    expect(writerRuns).toBe(0); // the bank from the earlier tests, remembered by the generator

    // A group of one window (e.g. the last, short group of a long render) through renderSegment.
    const one = planRender(
      { from: 0, to: 4, segmentLength: 4, segmentOverlap: 1, strategy: 'fused', anchorFrame: -1 },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    ).segments[0]!;
    const alone = await worker.renderSegment(
      { ...requests[0]!, segment: one, poses: [0, 1, 2, 3].map(points) },
      new AbortController().signal,
    );
    expect(alone).toHaveLength(4);
  }, 60_000);

  it('two workers over one generator compute the reference bank once (single flight)', async () => {
    const fresh = { ...settings, prompt: 'two workers at once' }; // a bank key not seen yet
    const a = new DiffusionWorker('a', generator, fresh);
    const b = new DiffusionWorker('b', generator, fresh);
    const plan = planRender(
      {
        from: 0,
        to: 8,
        segmentLength: 4,
        segmentOverlap: 0,
        strategy: 'independent',
        anchorFrame: -1,
      },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    );
    const request = (i: number) => ({
      jobId: 'j',
      segment: plan.segments[i]!,
      poses: [0, 1, 2, 3].map(points),
      dependencies: [],
    });
    writerRuns = 0;
    const signal = new AbortController().signal;
    const [x, y] = await Promise.all([
      a.renderSegment(request(0), signal),
      b.renderSegment(request(1), signal),
    ]);
    expect(x).toHaveLength(4);
    expect(y).toHaveLength(4);
    expect(writerRuns).toBe(1);
  });

  it('refuses a coupled fused window alone and stops when cancelled', async () => {
    const plan = planRender(
      { from: 0, to: 10, segmentLength: 4, segmentOverlap: 1, strategy: 'fused', anchorFrame: -1 },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    );
    const worker = new DiffusionWorker('w', generator, settings);
    const segment = plan.segments[0]!;
    const poses = Array.from({ length: segment.windowEnd - segment.windowStart }, () => points(0));
    await expect(
      worker.renderSegment(
        { jobId: 'j', segment, poses, dependencies: [] },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/coupled to segments 1, 2.*whole fusion group/);
    const chunkPlan = planRender(
      {
        from: 0,
        to: 4,
        segmentLength: 4,
        segmentOverlap: 0,
        strategy: 'independent',
        anchorFrame: -1,
      },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    );
    const abort = new AbortController();
    abort.abort();
    await expect(
      worker.renderSegment(
        {
          jobId: 'j',
          segment: chunkPlan.segments[0]!,
          poses: [0, 1, 2, 3].map(points),
          dependencies: [],
        },
        abort.signal,
      ),
    ).rejects.toThrow(/cancelled/);
  });
});
