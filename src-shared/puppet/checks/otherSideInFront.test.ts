import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { BONES } from '#shared/puppet/bones';
import { layerOrder } from '#shared/puppet/layerOrder';
import { armsBehindBody, otherSideInFront } from './otherSideInFront';

/** A front-facing body: head, shoulders and hips. */
function body() {
  const pose = emptyPoints();
  for (const [j, x, y] of [
    [Joint.nose, 50, 10],
    [Joint.neck, 50, 25],
    [Joint.rShoulder, 38, 27],
    [Joint.lShoulder, 62, 27],
    [Joint.rHip, 44, 60],
    [Joint.lHip, 56, 60],
  ] as const)
    setPoint(pose, j, x, y);
  return pose;
}

const layer = (l: number[], name: string) => l[BONES.findIndex((b) => b.name === name)]!;

describe('otherSideInFront', () => {
  it('puts each right part where its left counterpart was and back, the torso and head untouched', () => {
    const pose = body();
    const before = layerOrder(pose);
    const after = layerOrder(pose, otherSideInFront(pose));
    expect(layer(before, 'lShin')).toBeGreaterThan(layer(before, 'rShin'));
    expect(layer(after, 'rShin')).toBe(layer(before, 'lShin'));
    expect(layer(after, 'lShin')).toBe(layer(before, 'rShin'));
    expect(layer(after, 'rForearm')).toBeGreaterThan(layer(after, 'lForearm'));
    expect(layer(after, 'torso')).toBe(layer(before, 'torso'));
    expect(layer(after, 'head')).toBe(layer(before, 'head'));
  });

  it('armsBehindBody draws every arm part behind the torso and the legs, nothing else moved', () => {
    const pose = body();
    const before = layerOrder(pose);
    const after = layerOrder(pose, armsBehindBody(pose));
    for (const arm of ['rUpperArm', 'rForearm', 'rHand', 'lUpperArm', 'lForearm', 'lHand'])
      for (const behind of ['torso', 'rThigh', 'lShin'])
        expect(layer(after, arm)).toBeLessThan(layer(after, behind));
    for (const other of ['torso', 'head', 'rThigh', 'lFoot'])
      expect(layer(after, other)).toBe(layer(before, other));
  });
});
