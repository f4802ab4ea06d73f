import { describe, expect, it } from 'vitest';
import { playbackStep } from './playback';

const at = (frame: number, time = 1000) => ({ frame, time });

describe('playback clock', () => {
  it('advances at the fps, counted from the start, and loops at the end of the track', () => {
    expect(playbackStep(at(10), 1000, 24, 100, null)).toEqual({ frame: 10, stop: false });
    expect(playbackStep(at(10), 1500, 24, 100, null)).toEqual({ frame: 22, stop: false });
    // a 300 ms stall skips frames rather than slowing the motion
    expect(playbackStep(at(10), 2000, 24, 100, null).frame).toBe(34);
    expect(playbackStep(at(90), 1000 + 1000, 24, 100, null)).toEqual({ frame: 14, stop: false });
  });

  it('never steps back when the animation frame began just before playback started', () => {
    expect(playbackStep(at(10, 1000), 999.2, 24, 100, null)).toEqual({ frame: 10, stop: false });
  });

  it('plays a preview range once and stops on its last frame', () => {
    const range = { from: 40, to: 50 };
    expect(playbackStep(at(40), 1000 + 400, 24, 100, range)).toEqual({ frame: 49, stop: false });
    expect(playbackStep(at(40), 1000 + 1000, 24, 100, range)).toEqual({ frame: 50, stop: true });
    expect(playbackStep(at(40), 1e12, 24, 100, range)).toEqual({ frame: 50, stop: true });
  });

  it('with no frames or no usable fps it stops where it is instead of showing NaN', () => {
    for (const fps of [0, -24, NaN, Infinity])
      expect(playbackStep(at(5), 3000, fps, 100, null)).toEqual({ frame: 5, stop: true });
    for (const frameCount of [0, -1, NaN])
      expect(playbackStep(at(0), 3000, 24, frameCount, null)).toEqual({ frame: 0, stop: true });
  });
});
