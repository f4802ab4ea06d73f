/**
 * Values that used to pass validation and then failed late (a stack trace in the puppet worker,
 * sharp's pixel limit, a 2.45 GB allocation, a stack overflow inside validation) are refused at
 * load, naming the field and the bound.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_CANVAS_SIDE,
  MAX_KEYFRAMES,
  MAX_OUTPUT_SIDE,
  MAX_SEGMENT_LENGTH,
  coordinateRange,
} from './limits';
import { validateProject } from './parse';
import { points, sampleProject } from './testProjects';

type Edit = (p: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

function issues(edit: Edit) {
  const p = sampleProject();
  edit(p);
  const r = validateProject(p);
  return r.ok ? [] : r.issues;
}

describe('project limits', () => {
  it.each<[string, Edit, string, RegExp]>([
    [
      'a keyframe x of 1e308',
      (p) => (p.tracks[0].people[0].keyframes[1].points[3] = 1e308),
      'tracks[0].people[0].keyframes[1].points[3]',
      /x = 1e\+308 is too far outside the 512×512 canvas \(must be from -2048 to 2560\)/,
    ],
    [
      'a keyframe y just past the margin',
      (p) => (p.tracks[0].people[1].keyframes[0].points[4] = 2561),
      'tracks[0].people[1].keyframes[0].points[4]',
      /y = 2561 .* from -2048 to 2560/,
    ],
    [
      'a reference pose of -1e308',
      (p) => (p.characters[0].referencePose[0] = -1e308),
      'characters[0].referencePose[0]',
      /too far outside the largest picture \(16384×16384\)/,
    ],
    [
      'a confidence of 1e308',
      (p) => (p.characters[1].referenceFrames[0].pose[2] = 1e308),
      'characters[1].referenceFrames[0].pose[2]',
      /confidence .* between -1000 and 1000/,
    ],
    [
      'a track canvas of 16384²',
      (p) => ((p.tracks[0].width = 16384), (p.tracks[0].height = 16384)),
      'tracks[0].width',
      new RegExp(`at most ${MAX_CANVAS_SIDE}`),
    ],
    [
      'an output of 16384²',
      (p) => (p.output = { width: 16384, height: 16384 }),
      'output.width',
      new RegExp(`at most ${MAX_OUTPUT_SIDE}`),
    ],
    [
      'an output of 8192² (more pixels than 8K)',
      (p) => (p.output = { width: 8192, height: 8192 }),
      'output.height',
      /more than 35,389,440 pixels per frame/,
    ],
    ['an output fps of 1e-300', (p) => (p.output = { fps: 1e-300 }), 'output.fps', /at least 1/],
    ['a track fps of 1e-300', (p) => (p.tracks[0].fps = 1e-300), 'tracks[0].fps', /at least 1/],
    [
      'a segment length of 10000',
      (p) => (p.render.segmentLength = 10000),
      'render.segmentLength',
      new RegExp(`at most ${MAX_SEGMENT_LENGTH} frames`),
    ],
    [
      'an overlap of 1e9',
      (p) => ((p.render.segmentLength = 1e9 + 1), (p.render.segmentOverlap = 1e9)),
      'render.segmentLength',
      /at most 240/,
    ],
    [
      'a personId of 1e308',
      (p) => (p.tracks[0].people[0].personId = 1e308),
      'tracks[0].people[0].personId',
      /at most/,
    ],
    [
      'a person name of 100,000 characters',
      (p) => (p.tracks[0].people[0].name = 'x'.repeat(100_000)),
      'tracks[0].people[0].name',
      /at most 200 characters/,
    ],
    [
      'a pack name of 100,000 characters',
      (p) => (p.generator = { id: 'diffusion', params: { pack: 'x'.repeat(100_000) } }),
      'generator.params.pack',
      /at most 4000 characters/,
    ],
    [
      '300 tracks',
      (p) => (p.tracks = Array.from({ length: 300 }, (_, i) => ({ ...p.tracks[0], id: `t${i}` }))),
      'tracks',
      /at most 256 tracks, not 300/,
    ],
    [
      '65 people in a track',
      (p) =>
        (p.tracks[0].people = Array.from({ length: 65 }, (_, i) => ({
          personId: i,
          keyframes: [],
        }))),
      'tracks[0].people',
      /at most 64 people/,
    ],
  ])('refuses %s, naming the field and the bound', (_, edit, field, reason) => {
    const found = issues(edit);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.field).toBe(field);
    expect(found[0]!.reason).toMatch(reason);
  });

  it('keeps points a little outside the canvas (a hand out of frame)', () => {
    const { min, max } = coordinateRange(512);
    expect(
      issues((p) => {
        p.tracks[0].people[0].keyframes[0].points = points((i) =>
          i % 3 === 2 ? 1 : i % 2 ? min : max,
        );
      }),
    ).toEqual([]);
  });

  it('refuses 500,000 keyframes without walking them (no stack overflow)', () => {
    const bad = { id: 'k', frame: 0, points: [1] };
    const found = issues(
      (p) => (p.tracks[0].people[0].keyframes = new Array<unknown>(500_000).fill(bad)),
    );
    expect(found).toEqual([
      {
        field: 'tracks[0].people[0].keyframes',
        reason: 'must have at most 50,000 keyframes, not 500,000',
      },
    ]);
  });

  it(`reports every bad keyframe of a lane at the limit (${MAX_KEYFRAMES}) without overflowing`, () => {
    const bad = 0; // fails on its type: the cheapest issue zod gathers
    const found = issues(
      (p) => (p.tracks[0].people[0].keyframes = new Array<unknown>(MAX_KEYFRAMES).fill(bad)),
    );
    expect(found.length).toBeGreaterThanOrEqual(MAX_KEYFRAMES);
    expect(found[0]!.field).toBe('tracks[0].people[0].keyframes[0]');
  });
});

describe('refusals stay one short line', () => {
  it('a version that is a 100,000-deep list is named briefly (no stack overflow, no flood)', async () => {
    const { migrateProject } = await import('./migrations');
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(() => migrateProject({ version: deep })).toThrow(
      'version: must be a whole number (format version), got a list',
    );
  });

  it('a misspelt key of 100,000 characters is cut in the message', () => {
    const found = issues((p) => (p.output = { ['k'.repeat(100_000)]: 1 }));
    expect(found[0]!.field).toBe(`output.${'k'.repeat(60)}…`);
  });

  it('a bad path of 100,000 characters is cut in the message', () => {
    const found = issues((p) => (p.characters[1].mask = 'x'.repeat(100_000)));
    expect(found[0]!.field).toBe('characters[1].mask');
    expect(found[0]!.reason.length).toBeLessThan(200);
  });
});
