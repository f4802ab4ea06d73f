import { describe, expect, it } from 'vitest';
import type { VideoImportStatus } from '#shared/api/videoImport';
import { etaText, extractingText, personLabel } from './videoText';

const status = (o: Partial<VideoImportStatus>): VideoImportStatus => ({
  importId: 'x',
  fileName: 'dance.mp4',
  state: 'extracting',
  frame: 0,
  total: 48,
  etaSeconds: null,
  width: 640,
  height: 360,
  fps: 24,
  hasAudio: true,
  warnings: [],
  people: [],
  still: null,
  ...o,
});

describe('video import texts', () => {
  it('says the time left the way a countdown reads, and never NaN', () => {
    expect(etaText(null)).toBe('estimating time left…');
    expect(etaText(Number.NaN)).toBe('estimating time left…');
    expect(etaText(0.2)).toBe('about 1 s left');
    expect(etaText(59.4)).toBe('about 59 s left');
    expect(etaText(80)).toBe('about 1 min 20 s left');
    expect(etaText(3 * 3600 + 5 * 60)).toBe('about 3 h 05 min left');
  });

  it('counts frames done of the total, and says when the extractor is still starting', () => {
    expect(extractingText(status({}))).toBe('Starting the pose extractor for dance.mp4…');
    expect(extractingText(status({ frame: 12, etaSeconds: 30 }))).toBe(
      'Posing frame 12 of 48 · about 30 s left',
    );
    // The total is an estimate from the duration: never show "50 of 48".
    expect(extractingText(status({ frame: 50, total: 48, etaSeconds: 1 }))).toBe(
      'Posing frame 50 of 50 · about 1 s left',
    );
  });

  it('names people by where they stand among the others on the still', () => {
    const at = (id: number, x: number | null, frames = 5) => ({
      id,
      frames,
      box: x === null ? null : { x, y: 0, width: 100, height: 300 },
    });
    // Two people near the middle of the frame are still "left" and "right" of each other.
    const two = [at(0, 220, 40), at(1, 380, 1)];
    expect(personLabel(two[0]!, 0, two)).toBe('Person 1 · left · in 40 frames');
    expect(personLabel(two[1]!, 1, two)).toBe('Person 2 · right · in 1 frame');
    const three = [at(0, 500), at(1, 10), at(2, 250)];
    expect(three.map((p, i) => personLabel(p, i, three))).toEqual([
      'Person 1 · right · in 5 frames',
      'Person 2 · left · in 5 frames',
      'Person 3 · middle · in 5 frames',
    ]);
    const four = [at(0, 0), at(1, 100), at(2, 200), at(3, 300), at(4, null)];
    expect(four.map((p, i) => personLabel(p, i, four))).toEqual([
      'Person 1 · left · in 5 frames',
      'Person 2 · 2nd from left · in 5 frames',
      'Person 3 · 3rd from left · in 5 frames',
      'Person 4 · right · in 5 frames',
      'Person 5 · in 5 frames', // not on the still
    ]);
    const alone = [at(7, 300)];
    expect(personLabel(alone[0]!, 0, alone)).toBe('Person 1 · in 5 frames');
  });
});
