import { describe, expect, it } from 'vitest';
import { parseFarmJob, POSE_VALUES, type FarmJob } from './farmJob';

const pose = () => Array.from({ length: POSE_VALUES }, (_, i) => i % 7);
const good = (): FarmJob => ({
  version: 1,
  segment: { index: 2, hash: 'a'.repeat(32), start: 48, end: 50, windowStart: 48, windowEnd: 50 },
  output: { width: 512, height: 512 },
  character: { picture: 'b'.repeat(64), referencePose: pose() },
  poses: [pose(), pose()],
  manager: { url: 'http://10.0.0.2:4567', token: 'c'.repeat(64) },
});

describe('farm job validation (data from Redis, checked before the engine sees it)', () => {
  it('accepts a well-formed job', () => {
    expect(parseFarmJob(good()).segment.index).toBe(2);
  });

  it('carries the project’s background (transparent or a colour renders the same on a worker)', () => {
    for (const background of ['plate', 'transparent', '#12ab9F']) {
      const j = good();
      j.character.background = background;
      expect(parseFarmJob(j).character.background).toBe(background);
    }
  });

  const bad: [string, (j: FarmJob) => unknown, RegExp][] = [
    ['NaN in a pose', (j) => (j.poses[0]![3] = NaN), /poses\.0\.3/],
    ['1e308 × 10 (Infinity) in a pose', (j) => (j.poses[1]![0] = 1e308 * 10), /poses\.1\.0/],
    ['a truncated pose', (j) => j.poses[0]!.pop(), /poses\.0/],
    ['poses that do not cover the window', (j) => j.poses.pop(), /bounds/],
    [
      'a string for a number',
      (j) => ((j.output as { width: unknown }).width = '512'),
      /output\.width/,
    ],
    ['a huge output', (j) => (j.output.height = 1e9), /output\.height/],
    [
      'a path instead of a hash',
      (j) => (j.character.picture = '/etc/passwd'),
      /character\.picture/,
    ],
    ['a file: URL for the manager', (j) => (j.manager.url = 'file:///etc/passwd'), /manager\.url/],
    [
      'a segment hash with a slash',
      (j) => (j.segment.hash = '../'.repeat(10) + 'aa'),
      /segment\.hash/,
    ],
    ['an empty segment', (j) => (j.segment.end = j.segment.start), /bounds/],
    ['another version', (j) => ((j as { version: unknown }).version = 2), /version/],
    [
      'a background that is not plate, transparent or #rrggbb',
      (j) => (j.character.background = 'url(javascript:1)'),
      /character\.background/,
    ],
  ];
  it.each(bad)('refuses %s, naming the field', (_, spoil, field) => {
    const j = good();
    spoil(j);
    expect(() => parseFarmJob(j)).toThrow(field);
  });

  it('refuses what is not a job at all', () => {
    for (const v of [null, 42, 'job', [], {}])
      expect(() => parseFarmJob(v)).toThrow(/farm job refused/);
  });

  it('refuses more frames than a segment can have', () => {
    const j = good();
    j.poses = Array.from({ length: 1001 }, pose);
    j.segment.windowEnd = j.segment.end = j.segment.windowStart + 1001;
    expect(() => parseFarmJob(j)).toThrow(/poses/);
  });
});
