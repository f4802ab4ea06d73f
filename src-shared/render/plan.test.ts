import { describe, expect, it } from 'vitest';
import { hashOf } from './hash';
import {
  executionOrder,
  launchOrder,
  planRender,
  segmentOfFrame,
  windowStarts,
  type PlanSettings,
  type RenderPlan,
} from './plan';

const inputs = (poses: number[]) => ({
  frameHash: (f: number) => hashOf('pose', poses[f] ?? 0),
  settingsHash: hashOf('settings'),
});

function base(over: Partial<PlanSettings> = {}): PlanSettings {
  return {
    from: 0,
    to: 100,
    window: 16,
    overlap: 0,
    strategy: 'independent',
    anchorFrame: -1,
    ...over,
  };
}

function expectPartition(plan: RenderPlan) {
  const { from, to } = plan.settings;
  let next = from;
  for (const s of plan.segments) {
    expect(s.start).toBe(next);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.windowStart).toBeLessThanOrEqual(s.start);
    expect(s.windowEnd).toBeGreaterThanOrEqual(s.end);
    expect(s.windowEnd).toBeLessThanOrEqual(to); // never wrapped past the end
    expect(s.windowStart).toBeGreaterThanOrEqual(from);
    next = s.end;
  }
  expect(next).toBe(to);
}

describe('windowStarts', () => {
  it('pulls the last window back instead of wrapping', () => {
    expect(windowStarts(0, 100, 16, 4)).toEqual([0, 12, 24, 36, 48, 60, 72, 84]);
    expect(windowStarts(0, 10, 16, 4)).toEqual([0]);
    expect(windowStarts(5, 21, 16, 4)).toEqual([5]);
    expect(windowStarts(0, 17, 16, 4)).toEqual([0, 1]);
  });
});

describe('planRender', () => {
  const poses = Array.from({ length: 100 }, (_, i) => i);

  it.each(['independent', 'fused', 'interleaved', 'chained'] as const)(
    '%s partitions the range into segments',
    (strategy) => {
      const overlap = strategy === 'independent' ? 0 : 4;
      for (const [from, to] of [
        [0, 100],
        [7, 93],
        [0, 16],
        [3, 4],
      ] as const) {
        expectPartition(planRender(base({ strategy, overlap, from, to }), inputs(poses)));
      }
    },
  );

  it('independent: chunks of T with no dependencies', () => {
    const plan = planRender(base(), inputs(poses));
    expect(plan.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 16],
      [16, 32],
      [32, 48],
      [48, 64],
      [64, 80],
      [80, 96],
      [96, 100],
    ]);
    expect(plan.segments.every((s) => s.after.length === 0 && s.coupled.length === 0)).toBe(true);
  });

  it('fused: windows of T, stride T−O, overlaps split in the middle, group coupling', () => {
    const plan = planRender(
      base({ strategy: 'fused', overlap: 4, fusionGroupWindows: 4 }),
      inputs(poses),
    );
    expect(plan.segments.map((s) => s.windowStart)).toEqual([0, 12, 24, 36, 48, 60, 72, 84]);
    expect(plan.segments.every((s) => s.windowEnd - s.windowStart === 16)).toBe(true);
    expect(plan.segments[1]!.start).toBe(14);
    expect(plan.segments[0]!.coupled).toEqual([1, 2, 3]);
    expect(plan.segments[5]!.coupled).toEqual([4, 6, 7]);
  });

  it('fused: a poses edit re-hashes its whole group and only it; groups of 1 couple nothing', () => {
    const edited = poses.map((p, f) => (f === 30 ? p + 1000 : p));
    const a = planRender(
      base({ strategy: 'fused', overlap: 4, fusionGroupWindows: 4 }),
      inputs(poses),
    );
    const b = planRender(
      base({ strategy: 'fused', overlap: 4, fusionGroupWindows: 4 }),
      inputs(edited),
    );
    const changed = a.segments.filter((s, i) => s.hash !== b.segments[i]!.hash).map((s) => s.index);
    expect(changed).toEqual([0, 1, 2, 3]); // frame 30 is in windows 1 and 2 of group [0 1 2 3]
    const single = planRender(
      base({ strategy: 'fused', overlap: 4, fusionGroupWindows: 1 }),
      inputs(poses),
    );
    expect(single.segments.every((s) => s.coupled.length === 0)).toBe(true);
  });

  it('interleaved: anchors first, transitions after both neighbours', () => {
    const plan = planRender(base({ strategy: 'interleaved', overlap: 4 }), inputs(poses));
    expect(plan.segments[0]!.role).toBe('anchor');
    expect(plan.segments[1]!.role).toBe('transition');
    expect(plan.segments[1]!.after).toEqual([0, 2]);
    expect(plan.segments[1]!.windowStart).toBe(12);
    const order = executionOrder(plan);
    expect(order.slice(0, 4)).toEqual([0, 2, 4, 6]);
    expect(launchOrder(plan).slice(0, 5)).toEqual([0, 2, 1, 4, 3]);
  });

  it('chained: each window re-sees O frames of the previous one', () => {
    const plan = planRender(base({ strategy: 'chained', overlap: 4 }), inputs(poses));
    expect(plan.segments[1]!.windowStart).toBe(12);
    expect(plan.segments[1]!.start).toBe(16);
    expect(plan.segments[1]!.after).toEqual([0]);
  });

  it('an edit changes only the hashes of segments that see it (and their dependents)', () => {
    const edited = poses.slice();
    edited[40] = -1;
    const changed = (strategy: PlanSettings['strategy'], overlap: number) => {
      const a = planRender(base({ strategy, overlap }), inputs(poses));
      const b = planRender(base({ strategy, overlap }), inputs(edited));
      return a.segments.filter((s, i) => s.hash !== b.segments[i]!.hash).map((s) => s.index);
    };
    expect(changed('independent', 0)).toEqual([2]);
    expect(changed('chained', 4)).toEqual([3, 4, 5, 6, 7]); // frame 40 starts segment 3
    expect(changed('interleaved', 4)).toEqual([1, 2, 3]);
  });

  it('settings changes every hash; the anchor pose is part of every segment', () => {
    const a = planRender(base({ anchorFrame: 5 }), inputs(poses));
    const b = planRender(base({ anchorFrame: 5 }), { ...inputs(poses), settingsHash: 'x' });
    expect(a.segments.every((s, i) => s.hash !== b.segments[i]!.hash)).toBe(true);
    const edited = poses.slice();
    edited[5] = 1000;
    const c = planRender(base({ anchorFrame: 5 }), inputs(edited));
    expect(a.segments.every((s, i) => s.hash !== c.segments[i]!.hash)).toBe(true);
  });

  it('rejects bad settings with a clear message', () => {
    expect(() => planRender(base({ to: 0 }), inputs(poses))).toThrow(/to \(0\) must be after/);
    expect(() => planRender(base({ overlap: 2 }), inputs(poses))).toThrow(/overlap must be 0/);
    expect(() => planRender(base({ strategy: 'fused', overlap: 16 }), inputs(poses))).toThrow(
      /overlap/,
    );
  });

  it('plans 30,000 frames quickly and finds a frame’s segment', () => {
    const frameHashes = Array.from({ length: 30000 }, (_, i) => hashOf(i));
    const plan = planRender(base({ to: 30000, window: 24 }), {
      frameHash: (f) => frameHashes[f]!,
      settingsHash: 's',
    });
    expect(plan.segments).toHaveLength(1250);
    expect(segmentOfFrame(plan, 12345)!.index).toBe(Math.floor(12345 / 24));
    expect(segmentOfFrame(plan, 30000)).toBeUndefined();
  });
});
