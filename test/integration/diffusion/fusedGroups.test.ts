import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import type { DiffusionWorkerSettings } from '#main/engine/diffusion/strategies/workerSettings';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { runSegments } from '#main/scheduler/segmentRunner';
import type { SegmentRequest } from '#shared/render/worker';
import type { RgbImage } from '#shared/image/rgbImage';
import { hashOf } from '#shared/render/hash';
import { planRender, type RenderPlan, type Segment } from '#shared/render/plan';
import { tinyPackPose as points } from '#test/helpers/tinyPackPose';

// Fusion groups joined by held frames, with the real DiffusionWorker on the tiny pack (real ORT):
// 22 frames, T = 4, O = 1, groups of 2 windows → windows 0 3 6 9 12 15 18, groups
// [0 1] [2 3] [4 5] [6]. Cross-frame attention on, so frames of a window see each other and
// the held frames can reach the free ones.

let root: string;
let generator: DiffusionGenerator;

const settings: DiffusionWorkerSettings = {
  reference: {
    width: 64,
    height: 64,
    data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7) % 256),
  },
  referencePose: points(0),
  prompt: 'a dancer',
  seed: 5,
  steps: 3,
  guidanceScale: 1,
  crossFrame: 'previous',
};

const plan = planRender(
  {
    from: 0,
    to: 22,
    segmentLength: 4,
    segmentOverlap: 1,
    strategy: 'fused',
    anchorFrame: -1,
    fusionGroupWindows: 2,
    holdGroupBoundaries: true,
  },
  { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
);
const posesOf = (s: { windowStart: number; windowEnd: number }) =>
  Array.from({ length: s.windowEnd - s.windowStart }, (_, k) => points((s.windowStart + k) % 5));
const request = (segment: Segment, dependencies: RgbImage[][]): SegmentRequest => ({
  jobId: 'j',
  segment,
  poses: posesOf(segment),
  dependencies,
  plan: { strategy: 'fused', segmentLength: 4, segmentOverlap: 1 },
});
const group = (p: RenderPlan, first: number) =>
  [first, ...p.segments[first]!.coupled].map((i) => p.segments[i]!);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fused-groups-'));
  generator = await DiffusionGenerator.open(
    await buildTinyPack(join(root, 'pack')),
    new LocalSessionProvider(),
  );
}, 60_000);
afterAll(async () => {
  await generator?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('fused fusion groups joined by held frames (DiffusionWorker, tiny pack)', () => {
  it('renders through the segment runner group after group; a group is reproduced from the frames it was handed, and those frames matter', async () => {
    expect(plan.segments.map((s) => s.after)).toEqual([[], [], [1], [], [3], [], [5]]);
    const worker = new DiffusionWorker('w', generator, settings);
    const seen: number[][] = [];
    const renderGroup = worker.renderGroup.bind(worker);
    worker.renderGroup = (reqs, sig) => {
      seen.push(reqs.map((r) => r.segment.index));
      return renderGroup(reqs, sig);
    };
    const delivered = new Map<number, RgbImage[]>();
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache: new SegmentCache(join(root, 'cache')),
      dispatcher: new Dispatcher([worker]),
      poses: posesOf,
      deliver: async (s, frames) => void delivered.set(s.index, frames),
    });
    expect(r).toEqual({ rendered: 7, cached: 0 });
    expect(seen).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
    expect([...delivered.values()].flat()).toHaveLength(22);

    // Group [2 3] again from group [0 1]'s delivered frames: the same pixels, bit for bit.
    const previous = delivered.get(1)!;
    const signal = new AbortController().signal;
    const [s2, s3] = group(plan, 2);
    const again = await renderGroup([request(s2!, [previous]), request(s3!, [])], signal);
    expect(again[0]!.map((f) => f.data)).toEqual(delivered.get(2)!.map((f) => f.data));
    expect(again[1]!.map((f) => f.data)).toEqual(delivered.get(3)!.map((f) => f.data));

    // Other frames to continue from (the held frame is the last of segment 1): the free frames
    // change — the hold reaches them through cross-frame attention.
    const other = previous.map((f) => ({ ...f, data: f.data.map((v) => 255 - v) }));
    const moved = await renderGroup([request(s2!, [other]), request(s3!, [])], signal);
    const diff = (a: RgbImage, b: RgbImage) =>
      a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
    expect(diff(moved[0]![0]!, delivered.get(2)![0]!)).toBeGreaterThan(0);
  }, 120_000);

  it('groups of one window: each window continues the previous one through renderSegment', async () => {
    const single = planRender(
      {
        from: 0,
        to: 10,
        segmentLength: 4,
        segmentOverlap: 1,
        strategy: 'fused',
        anchorFrame: -1,
        fusionGroupWindows: 1,
        holdGroupBoundaries: true,
      },
      { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
    );
    expect(single.segments.map((s) => [s.after, s.coupled.length])).toEqual([
      [[], 0],
      [[0], 0],
      [[1], 0],
    ]);
    const worker = new DiffusionWorker('w', generator, settings);
    const delivered = new Map<number, RgbImage[]>();
    await runSegments({
      jobId: 'j',
      plan: single,
      cache: new SegmentCache(join(root, 'cache-single')),
      dispatcher: new Dispatcher([worker]),
      poses: posesOf,
      deliver: async (s, frames) => void delivered.set(s.index, frames),
    });
    expect([...delivered.values()].flat()).toHaveLength(10);
    const s1 = single.segments[1]!;
    const signal = new AbortController().signal;
    const same = await worker.renderSegment(request(s1, [delivered.get(0)!]), signal);
    expect(same.map((f) => f.data)).toEqual(delivered.get(1)!.map((f) => f.data));
    const flipped = delivered.get(0)!.map((f) => ({ ...f, data: f.data.map((v) => 255 - v) }));
    const moved = await worker.renderSegment(request(s1, [flipped]), signal);
    expect(moved.map((f) => f.data)).not.toEqual(delivered.get(1)!.map((f) => f.data));
  }, 60_000);

  it('refuses a continuing group without the frames it holds', async () => {
    const worker = new DiffusionWorker('w', generator, settings);
    const [s2, s3] = group(plan, 2);
    await expect(
      worker.renderGroup([request(s2!, []), request(s3!, [])], new AbortController().signal),
    ).rejects.toThrow(/segment 2 continues segment 1: it needs that segment's last 1 frames/);
  });
});
