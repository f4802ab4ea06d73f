import { describe, expect, it } from 'vitest';
import {
  SEGMENT_STRIP_MAX_CELLS,
  SegmentStrip,
  countStrip,
  readSegmentStrip,
} from './segmentStrip';

describe('segment strip', () => {
  it('follows each segment from queued to rendering to the video or the cache', () => {
    const strip = new SegmentStrip(5);
    expect(strip.text()).toBe('qqqqq');
    strip.started(0);
    strip.started(1);
    strip.delivered(2, 'cache');
    expect(strip.text()).toBe('rrcqq');
    strip.delivered(0, 'rendered');
    strip.delivered(1, 'rendered');
    strip.started(1); // a late start report never takes a delivered segment back
    expect(strip.text()).toBe('ddcqq');
    expect(countStrip(readSegmentStrip(strip.text()))).toEqual({
      queued: 2,
      rendering: 0,
      done: 2,
      cached: 1,
    });
  });

  it('a long render is binned into at most the wire limit, rendering and waiting cells first', () => {
    const strip = new SegmentStrip(1_000_000);
    expect(strip.text()).toHaveLength(SEGMENT_STRIP_MAX_CELLS);
    for (let i = 0; i < 5000; i++) strip.delivered(i, 'rendered');
    strip.started(600_000);
    const text = strip.text(100);
    expect(text).toHaveLength(100);
    // 10 000 segments a cell: the first is partly done (still waiting), the one holding 600 000 renders
    expect(text[0]).toBe('q');
    expect(text[60]).toBe('r');
    const all = new SegmentStrip(8);
    for (let i = 0; i < 8; i++) all.delivered(i, i < 4 ? 'cache' : 'rendered');
    expect(all.text(4)).toBe('ccdd');
    all.delivered(1, 'rendered');
    expect(all.text(4)).toBe('dcdd'); // a cell with any rendered segment is done, not cached
    expect(new SegmentStrip(0).text()).toBe('');
  });

  it('refuses a count that is not a whole number of segments', () => {
    for (const bad of [-1, 1.5, NaN, Infinity])
      expect(() => new SegmentStrip(bad)).toThrow(RangeError);
  });

  it('the studio reads only a well-formed strip (events are not validated in the page)', () => {
    expect(readSegmentStrip('qrdc')).toEqual(['queued', 'rendering', 'done', 'cached']);
    for (const bad of [
      null,
      undefined,
      42,
      ['q'],
      'qx',
      'Q',
      'q'.repeat(SEGMENT_STRIP_MAX_CELLS + 1),
    ])
      expect(readSegmentStrip(bad)).toEqual([]);
  });
});
