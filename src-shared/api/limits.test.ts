/** The contract holds requests to the project format's limits (`src-shared/project/limits.ts`). */
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { parseParams } from './validate';

const settings = {
  generator: 'puppet',
  width: 512,
  height: 512,
  fps: 24,
  from: 0,
  to: 48,
  segmentLength: 24,
  segmentOverlap: 0,
  strategy: 'independent',
  format: 'mp4',
} as const;

function refusal(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
  throw new Error('the request was accepted');
}

describe('API limits', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['fps 1e-300', { fps: 1e-300 }, /settings\.fps/],
    ['segmentLength 10000', { segmentLength: 10000 }, /settings\.segmentLength/],
    ['overlap 1000', { segmentLength: 24, segmentOverlap: 1000 }, /settings\.segmentOverlap/],
    ['to 1e308', { to: 1e308 }, /settings\.to/],
  ])('render.start refuses %s, naming the field', (_, patch, field) => {
    expect(
      refusal(() => parseParams('render.start', { settings: { ...settings, ...patch } })),
    ).toMatch(field);
  });

  it('projects.create refuses fps 1e-300', () => {
    expect(
      refusal(() =>
        parseParams('projects.create', {
          folder: '/tmp/x',
          name: 'x',
          size: { width: 512, height: 512 },
          fps: 1e-300,
        }),
      ),
    ).toMatch(/fps/);
  });

  it('character.moveJoint refuses a coordinate of 1e308 and keeps one just off the picture', () => {
    expect(refusal(() => parseParams('character.moveJoint', { index: 0, x: 1e308, y: 0 }))).toMatch(
      /x/,
    );
    expect(parseParams('character.moveJoint', { index: 0, x: -40, y: 70_000 })).toEqual({
      index: 0,
      x: -40,
      y: 70_000,
    });
  });
});
