import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgressLine, ProgressMeter, Throttle } from './progress';

describe('ProgressMeter', () => {
  it('measures frames/s over a sliding window and derives the ETA', () => {
    const m = new ProgressMeter(1000, 5);
    expect(m.fps()).toBe(0);
    expect(m.etaSeconds()).toBeNull();
    // 100 fps for 10 s (cached), then 10 fps: the window forgets the fast part.
    for (let t = 0; t <= 10; t++) m.update(t * 100, t * 1000);
    expect(m.fps()).toBeCloseTo(100);
    for (let t = 11; t <= 20; t++) m.update(1000 - 10 * (20 - t) - 10, t * 1000);
    expect(m.fps()).toBeCloseTo(10, 0);
    expect(m.etaSeconds()).toBeCloseTo(1, 0);
  });
});

describe('Throttle', () => {
  it('lets one event through per interval', () => {
    const t = new Throttle(500);
    expect([0, 100, 499, 500, 900, 1001].map((x) => t.ready(x))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
  });
});

describe('formatProgressLine', () => {
  it('draws a bar with counts, speed, ETA and segment', () => {
    const line = formatProgressLine(
      {
        type: 'progress',
        jobId: 'j',
        stage: 'rendering',
        framesDone: 50,
        framesTotal: 100,
        framesPerSecond: 25,
        etaSeconds: 2,
        segmentIndex: 1,
        segmentCount: 4,
        segmentSource: 'rendered',
        thumbnail: null,
      },
      10,
    );
    expect(line).toBe('rendering [#####-----]  50% 50/100 frames 25.0 fps ETA 0:02 seg 2/4');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
