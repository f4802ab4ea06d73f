import { describe, expect, it } from 'vitest';
import {
  frameIntervalMs,
  nextFrameIndex,
  previewFrames,
  readoutText,
  renderingText,
} from './transitionPreview';

describe('transition preview', () => {
  it('renders 12 frames each side of the boundary, inside the render range', () => {
    expect(previewFrames(24, { from: 0, to: 240 }, 12)).toEqual({ from: 12, to: 36 });
    expect(previewFrames(5, { from: 0, to: 240 }, 12)).toEqual({ from: 0, to: 17 });
    expect(previewFrames(235, { from: 0, to: 240 }, 12)).toEqual({ from: 223, to: 240 });
    expect(previewFrames(110, { from: 100, to: 115 }, 12)).toEqual({ from: 100, to: 115 });
    expect(previewFrames(5, null, 12)).toEqual({ from: 0, to: 17 });
  });

  it('plays once to the last frame and stays there; loops when asked', () => {
    expect(nextFrameIndex(0, 24, false)).toBe(1);
    expect(nextFrameIndex(22, 24, false)).toBe(23);
    expect(nextFrameIndex(23, 24, false)).toBe(23);
    expect(nextFrameIndex(23, 24, true)).toBe(0);
    expect(nextFrameIndex(0, 1, true)).toBe(0);
    expect(nextFrameIndex(0, 0, false)).toBe(0);
    expect(nextFrameIndex(5, 0, true)).toBe(0);
  });

  it('steps at the preview’s fps; a broken fps never makes the player spin', () => {
    expect(frameIntervalMs(24)).toBeCloseTo(41.667, 3);
    expect(frameIntervalMs(0)).toBe(1000);
    expect(frameIntervalMs(NaN)).toBe(1000);
    expect(frameIntervalMs(Infinity)).toBe(1000);
    expect(frameIntervalMs(1e308)).toBeCloseTo(1000 / 120, 9);
    expect(frameIntervalMs(1e-308)).toBe(1000);
  });

  it('says which frames are rendering and for how long', () => {
    expect(renderingText(12, 36, 1234)).toBe('Rendering frames 12–35 (fast generator)… 1.2 s');
    expect(renderingText(12, 13, -50)).toBe('Rendering frame 12 (fast generator)… 0.0 s');
  });

  it('the readout names the frame on screen and its place; no frames is said in words', () => {
    const preview = { from: 12, frames: Array.from({ length: 24 }, () => 'x'), renderMs: 840 };
    expect(readoutText(preview, 0)).toBe('frame 12 (1/24) · 0.8 s');
    expect(readoutText(preview, 23)).toBe('frame 35 (24/24) · 0.8 s');
    expect(readoutText(preview, 99)).toBe('frame 35 (24/24) · 0.8 s');
    expect(readoutText({ ...preview, frames: [] }, 0)).toBe('no frames came back');
  });
});
