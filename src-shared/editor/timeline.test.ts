import { describe, expect, it } from 'vitest';
import type { Keyframe } from '#shared/pose/types';
import { planLane, transitionFrames } from './editorState';
import { parseAhistoric } from './ahistoricSchema';
import { onionSkinFrames, DEFAULT_ONION_SKIN } from './onionSkin';
import {
  fitView,
  formatTime,
  frameToX,
  keyframeNearX,
  rulerTicks,
  visibleKeyframes,
  xToFrame,
  xToFrameSnapped,
  zoomAt,
} from './timelineMath';

const keys = (frames: number[]): Keyframe[] =>
  frames.map((f) => ({
    id: `k${f}`,
    frame: f,
    points: new Float64Array(0),
    easing: { kind: 'linear' },
  }));

describe('timeline math', () => {
  it('frame ↔ x are inverse; snapping clamps to the track', () => {
    const v = { startFrame: 12.5, pxPerFrame: 3 };
    expect(xToFrame(frameToX(77, v), v)).toBeCloseTo(77, 12);
    expect(xToFrameSnapped(-100, v, 50)).toBe(0);
    expect(xToFrameSnapped(1e6, v, 50)).toBe(49);
  });

  it('zoom keeps the frame under the pointer fixed and respects limits', () => {
    const v = { startFrame: 100, pxPerFrame: 2 };
    const z = zoomAt(v, 3, 250);
    expect(xToFrame(250, z)).toBeCloseTo(xToFrame(250, v), 9);
    expect(z.pxPerFrame).toBe(6);
    expect(zoomAt(v, 1e9, 0).pxPerFrame).toBe(60);
    const fit = fitView(10_001, 1024);
    expect(fit.pxPerFrame).toBeCloseTo(0.1, 12);
    expect(frameToX(0, fit)).toBeCloseTo(12, 9);
    expect(frameToX(10_000, fit)).toBeCloseTo(1012, 9);
  });

  it('ruler ticks are round, at least the minimum spacing apart, labelled in the chosen unit', () => {
    const v = { startFrame: 0, pxPerFrame: 4 };
    const f = rulerTicks(v, 800, 24, 'frames');
    expect(f.step).toBe(20);
    expect(f.major.slice(0, 3).map((t) => t.label)).toEqual(['0', '20', '40']);
    const s = rulerTicks(v, 800, 24, 'seconds');
    expect(s.step).toBe(24);
    expect(s.major.slice(0, 3).map((t) => t.label)).toEqual(['0:00', '0:01', '0:02']);
    expect(s.minor.every((t) => t.frame % 24 !== 0)).toBe(true);
    const far = rulerTicks({ startFrame: 0, pxPerFrame: 0.1 }, 1000, 24, 'seconds');
    expect(far.step * 0.1).toBeGreaterThanOrEqual(80);
    expect(formatTime(24 * 61 + 5, 24)).toBe('1:01+5');
  });

  it('finds visible and clicked keyframes by binary search among 1,000 keys', () => {
    const k = keys(Array.from({ length: 1000 }, (_, i) => i * 10));
    expect(visibleKeyframes(k, 95, 205)).toEqual([10, 21]);
    const v = { startFrame: 0, pxPerFrame: 2 };
    expect(keyframeNearX(k, 2 * 500 + 3, v)?.frame).toBe(500);
    expect(keyframeNearX(k, 2 * 505, v)).toBeUndefined();
  });
});

describe('onion skin', () => {
  const s = { ...DEFAULT_ONION_SKIN, enabled: true, before: 2, after: 1, step: 3 };
  it('picks frames around the playhead, nearest drawn last and most opaque', () => {
    const g = onionSkinFrames(10, s, 100);
    expect(g.map((x) => [x.frame, x.side])).toEqual([
      [4, 'before'],
      [7, 'before'],
      [13, 'after'],
    ]);
    expect(g[1]!.opacity).toBeGreaterThan(g[0]!.opacity);
    expect(onionSkinFrames(1, s, 100).filter((x) => x.side === 'before')).toHaveLength(0);
    expect(onionSkinFrames(10, { ...s, enabled: false }, 100)).toEqual([]);
  });
  it('in keyframe mode shows the neighbouring keys', () => {
    const g = onionSkinFrames(20, { ...s, mode: 'keyframes' }, 100, keys([0, 10, 20, 30, 40]));
    expect(g.map((x) => x.frame).sort((a, b) => a - b)).toEqual([0, 10, 30]);
  });
});

describe('plan lane and persisted settings', () => {
  it('colours segments by state and marks the hand-over frames', () => {
    const lane = planLane(
      {
        segments: [
          {
            index: 0,
            role: 'window',
            windowStart: 0,
            windowEnd: 16,
            start: 0,
            end: 12,
            anchorFrame: 0,
            after: [],
            coupled: [],
            inputHash: '',
            hash: '',
          },
          {
            index: 1,
            role: 'window',
            windowStart: 8,
            windowEnd: 24,
            start: 12,
            end: 24,
            anchorFrame: 0,
            after: [],
            coupled: [],
            inputHash: '',
            hash: '',
          },
        ],
      },
      new Map([[0, 'done']]),
    );
    expect(lane.map((s) => s.state)).toEqual(['done', 'stale']);
    expect(transitionFrames(lane)).toEqual([12]);
  });
  it('damaged settings fall back per field', () => {
    const a = parseAhistoric({ fps: -3, dragMode: 'fk', parts: 'nope' });
    expect(a.fps).toBe(24);
    expect(a.dragMode).toBe('fk');
    expect(a.parts.body).toBe(true);
    expect(parseAhistoric('garbage').frameCount).toBe(240);
  });
});
