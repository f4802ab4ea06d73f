import { describe, expect, it } from 'vitest';
import { fitStage, MAX_STAGE_ZOOM, MIN_STAGE_ZOOM, zoomStageAt } from './stageView';

describe('stage view', () => {
  it('fits the whole canvas centred with a margin, limited by the tighter side', () => {
    const v = fitStage({ width: 840, height: 540 }, { width: 640, height: 480 })!;
    expect(v.zoom).toBeCloseTo(500 / 480, 12);
    expect(v.y).toBeCloseTo(20, 9);
    expect(v.x).toBeCloseTo((840 - 640 * v.zoom) / 2, 9);
    // the canvas is inside the box
    expect(v.x + 640 * v.zoom).toBeLessThanOrEqual(840);
  });

  it('does not fit into a box too small or a canvas without area', () => {
    expect(fitStage({ width: 40, height: 500 }, { width: 640, height: 480 })).toBeNull();
    expect(fitStage({ width: 0, height: 0 }, { width: 640, height: 480 })).toBeNull();
    expect(fitStage({ width: 800, height: 500 }, { width: 0, height: 0 })).toBeNull();
    expect(fitStage({ width: 800, height: 500 }, { width: NaN, height: 480 })).toBeNull();
  });

  it('a tiny canvas in a big box is not zoomed past the limit', () => {
    const v = fitStage({ width: 4000, height: 4000 }, { width: 1, height: 1 })!;
    expect(v.zoom).toBe(MAX_STAGE_ZOOM);
    expect(v.x).toBe((4000 - MAX_STAGE_ZOOM) / 2);
  });

  it('wheel zoom keeps the canvas point under the pointer in place', () => {
    const view = { zoom: 2, x: 100, y: 50 };
    const pointer = { x: 300, y: 250 };
    const under = { x: (300 - 100) / 2, y: (250 - 50) / 2 };
    for (const deltaY of [-300, -1, 120, 500]) {
      const v = zoomStageAt(view, pointer, deltaY);
      expect(v.zoom > 2).toBe(deltaY < 0);
      expect(under.x * v.zoom + v.x).toBeCloseTo(pointer.x, 9);
      expect(under.y * v.zoom + v.y).toBeCloseTo(pointer.y, 9);
    }
  });

  it('wheel zoom stops at its limits and ignores a delta that is not a number', () => {
    const view = { zoom: 1, x: 0, y: 0 };
    expect(zoomStageAt(view, { x: 0, y: 0 }, 1e308).zoom).toBe(MIN_STAGE_ZOOM);
    expect(zoomStageAt(view, { x: 0, y: 0 }, -1e308).zoom).toBe(MAX_STAGE_ZOOM);
    expect(zoomStageAt(view, { x: 10, y: 10 }, NaN)).toBe(view);
  });
});
