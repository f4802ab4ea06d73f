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
    segmentLength: 16,
    segmentOverlap: 0,
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
        expectPartition(
          planRender(base({ strategy, segmentOverlap: overlap, from, to }), inputs(poses)),
        );
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
      base({ strategy: 'fused', segmentOverlap: 4, fusionGroupWindows: 4 }),
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
      base({ strategy: 'fused', segmentOverlap: 4, fusionGroupWindows: 4 }),
      inputs(poses),
    );
    const b = planRender(
      base({ strategy: 'fused', segmentOverlap: 4, fusionGroupWindows: 4 }),
      inputs(edited),
    );
    const changed = a.segments.filter((s, i) => s.hash !== b.segments[i]!.hash).map((s) => s.index);
    expect(changed).toEqual([0, 1, 2, 3]); // frame 30 is in windows 1 and 2 of group [0 1 2 3]
    const single = planRender(
      base({ strategy: 'fused', segmentOverlap: 4, fusionGroupWindows: 1 }),
      inputs(poses),
    );
    expect(single.segments.every((s) => s.coupled.length === 0)).toBe(true);
  });

  it('fused with held group boundaries: a later group re-sees the previous group’s overlap, after it', () => {
    const settings = base({
      strategy: 'fused',
      segmentOverlap: 4,
      fusionGroupWindows: 3,
      holdGroupBoundaries: true,
    });
    const plan = planRender(settings, inputs(poses));
    expectPartition(plan);
    // windows 0 12 24 | 36 48 60 | 72 84: groups [0 1 2] [3 4 5] [6 7]
    expect(plan.segments.map((s) => s.after)).toEqual([[], [], [], [2], [], [], [5], []]);
    expect(plan.segments[3]!.coupled).toEqual([4, 5]);
    // The earlier group delivers the whole overlap [36, 40); the later one starts after it.
    expect([plan.segments[2]!.end, plan.segments[3]!.start]).toEqual([40, 40]);
    expect([plan.segments[5]!.end, plan.segments[6]!.start]).toEqual([76, 76]);
    // Inside a group overlaps are still split mid-way.
    expect([plan.segments[0]!.end, plan.segments[4]!.start]).toEqual([14, 50]);
    expect(launchOrder(plan)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(executionOrder(plan)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('fused with held group boundaries: an edit in group g re-hashes g and every group after it', () => {
    const settings = base({
      strategy: 'fused',
      segmentOverlap: 4,
      fusionGroupWindows: 3,
      holdGroupBoundaries: true,
    });
    const changedBy = (frame: number) => {
      const a = planRender(settings, inputs(poses));
      const edited = poses.map((p, f) => (f === frame ? p + 1000 : p));
      const b = planRender(settings, inputs(edited));
      return a.segments.filter((s, i) => s.hash !== b.segments[i]!.hash).map((s) => s.index);
    };
    // frame 50 is in windows 3 and 4 (group 1): group 1 and the group after it, not group 0
    expect(changedBy(50)).toEqual([3, 4, 5, 6, 7]);
    // frame 5 (group 0 only): everything, through the chain of held boundaries
    expect(changedBy(5)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // frame 90 (last group): only it
    expect(changedBy(90)).toEqual([6, 7]);
    // a member of group g+1 that does not itself depend on group g still changes with it
    const a = planRender(settings, inputs(poses));
    const b = planRender(settings, inputs(poses.map((p, f) => (f === 5 ? p + 1 : p))));
    expect(a.segments[5]!.after).toEqual([]);
    expect(a.segments[5]!.hash).not.toBe(b.segments[5]!.hash);
  });

  it('fused with held group boundaries: groups of 1 and overlap 0 hold nothing; off by default', () => {
    const held = (over: Partial<PlanSettings>) =>
      planRender(base({ strategy: 'fused', segmentOverlap: 4, ...over }), inputs(poses));
    // Without the setting (puppet): groups meet mid-overlap, no dependencies.
    const cut = held({ fusionGroupWindows: 3 });
    expect(cut.segments.every((s) => s.after.length === 0)).toBe(true);
    expect(cut.segments[3]!.start).toBe(38);
    // Groups of one window with holding: each window continues the previous one.
    const chain = held({ fusionGroupWindows: 1, holdGroupBoundaries: true });
    expect(chain.segments.map((s) => s.after)).toEqual([[], [0], [1], [2], [3], [4], [5], [6]]);
    expect(chain.segments.every((s) => s.coupled.length === 0)).toBe(true);
    expectPartition(chain);
    // No overlap: nothing shared, nothing to hold.
    const none = held({
      segmentOverlap: 0,
      to: 96,
      fusionGroupWindows: 2,
      holdGroupBoundaries: true,
    });
    expect(none.segments.every((s) => s.after.length === 0)).toBe(true);
    // The pulled-back last window alone in its group overlaps by more than O: all of it held.
    const tail = planRender(
      base({
        strategy: 'fused',
        segmentOverlap: 4,
        to: 90,
        fusionGroupWindows: 7,
        holdGroupBoundaries: true,
      }),
      inputs(poses),
    );
    expectPartition(tail);
    const last = tail.segments.at(-1)!;
    expect([last.windowStart, last.start, last.after]).toEqual([74, 88, [6]]);
  });

  it('fused with held group boundaries: a boundary that cannot be held is cut mid-way (no empty or inverted segment)', () => {
    const fusedHeld = (over: Partial<PlanSettings>) =>
      planRender(
        base({ strategy: 'fused', fusionGroupWindows: 8, holdGroupBoundaries: true, ...over }),
        inputs(poses),
      );
    // Window 8 (at 64) opens group 2 and is followed by the pulled-back last window (at 65): after
    // the held overlap [64, 72) it would deliver nothing.
    const pulledBack = fusedHeld({ segmentOverlap: 8, to: 81 });
    expect(pulledBack.segments.map((s) => s.windowStart)).toEqual([
      0, 8, 16, 24, 32, 40, 48, 56, 64, 65,
    ]);
    expectPartition(pulledBack);
    // Overlap 12 of 16: the previous window delivers only 10 of the 12 frames to hold, and the held
    // window would end before it starts.
    const wide = fusedHeld({ segmentOverlap: 12 });
    expectPartition(wide);
    // Wherever a boundary is held, the previous segment delivers the whole overlap it re-sees.
    for (const plan of [pulledBack, wide])
      for (const s of plan.segments)
        for (const d of s.after) {
          const previous = plan.segments[d]!;
          expect(previous.start).toBeLessThanOrEqual(s.windowStart);
          expect(previous.end).toBe(s.start);
        }
    // Boundaries that can be held still are (overlap 4 of 16, as before).
    expect(
      fusedHeld({ segmentOverlap: 4, to: 400 }).segments.filter((s) => s.after.length > 0).length,
    ).toBe(4);
  });

  it('interleaved: anchors first, transitions after both neighbours', () => {
    const plan = planRender(base({ strategy: 'interleaved', segmentOverlap: 4 }), inputs(poses));
    expect(plan.segments[0]!.role).toBe('anchor');
    expect(plan.segments[1]!.role).toBe('transition');
    expect(plan.segments[1]!.after).toEqual([0, 2]);
    expect(plan.segments[1]!.windowStart).toBe(12);
    const order = executionOrder(plan);
    expect(order.slice(0, 4)).toEqual([0, 2, 4, 6]);
    expect(launchOrder(plan).slice(0, 5)).toEqual([0, 2, 1, 4, 3]);
  });

  it('chained: each window re-sees O frames of the previous one', () => {
    const plan = planRender(base({ strategy: 'chained', segmentOverlap: 4 }), inputs(poses));
    expect(plan.segments[1]!.windowStart).toBe(12);
    expect(plan.segments[1]!.start).toBe(16);
    expect(plan.segments[1]!.after).toEqual([0]);
  });

  it('an edit changes only the hashes of segments that see it (and their dependents)', () => {
    const edited = poses.slice();
    edited[40] = -1;
    const changed = (strategy: PlanSettings['strategy'], overlap: number) => {
      const a = planRender(base({ strategy, segmentOverlap: overlap }), inputs(poses));
      const b = planRender(base({ strategy, segmentOverlap: overlap }), inputs(edited));
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
    expect(() => planRender(base({ segmentOverlap: 2 }), inputs(poses))).toThrow(
      /segmentOverlap must be 0/,
    );
    expect(() =>
      planRender(base({ strategy: 'fused', segmentOverlap: 16 }), inputs(poses)),
    ).toThrow(/segmentOverlap must be in \[0, segmentLength\)/);
  });

  it('plans 30,000 frames quickly and finds a frame’s segment', () => {
    const frameHashes = Array.from({ length: 30000 }, (_, i) => hashOf(i));
    const plan = planRender(base({ to: 30000, segmentLength: 24 }), {
      frameHash: (f) => frameHashes[f]!,
      settingsHash: 's',
    });
    expect(plan.segments).toHaveLength(1250);
    expect(segmentOfFrame(plan, 12345)!.index).toBe(Math.floor(12345 / 24));
    expect(segmentOfFrame(plan, 30000)).toBeUndefined();
  });
});
