import { describe, expect, it } from 'vitest';
import { Joint } from '../skeleton';
import type { CharacterRig, RigJoint } from './characterConfig';
import { rigToCoco } from './rigToCoco';

const j = (name: string, x: number, y: number, parent: string | null = null): RigJoint => ({
  name,
  x,
  y,
  parent,
});
const rig = (joints: RigJoint[]): CharacterRig => ({ width: 100, height: 100, joints });
const at = (p: Float64Array, i: number) => [p[i * 3], p[i * 3 + 1], p[i * 3 + 2]];

const HUMAN = ['shoulder', 'elbow', 'hand', 'hip', 'knee', 'foot'].flatMap((n, k) => [
  j(`right_${n}`, 10 + k, 20 + k),
  j(`left_${n}`, 60 + k, 20 + k),
]);

describe('AnimatedDrawings rig → COCO-18', () => {
  it('maps a human rig: neck → nose, torso → neck, hands → wrists, feet → ankles', () => {
    const { frame, warnings } = rigToCoco(
      rig([j('root', 50, 60), j('hip', 50, 60), j('torso', 50, 30), j('neck', 51, 10), ...HUMAN]),
    );
    const p = frame.people[0]!.points;
    expect(at(p, Joint.nose)).toEqual([51, 10, 1]);
    expect(at(p, Joint.neck)).toEqual([50, 30, 1]);
    expect(at(p, Joint.rWrist)).toEqual([12, 22, 1]);
    expect(at(p, Joint.lAnkle)).toEqual([65, 25, 1]);
    expect(at(p, Joint.rEye)).toEqual([0, 0, 0]);
    expect(warnings).toEqual([]);
    expect([frame.width, frame.height]).toEqual([100, 100]);
  });

  it('six arms: takes the plain-numbered first pair and names the four left out', () => {
    const arms = [1, 2, 3].flatMap((k) =>
      ['shoulder', 'elbow', 'hand'].flatMap((n) => [
        j(`right_${n}${k}`, k, k),
        j(`left_${n}${k}`, 90 + k, k),
      ]),
    );
    const { frame, warnings } = rigToCoco(rig([j('torso', 50, 30), j('neck', 50, 10), ...arms]));
    expect(at(frame.people[0]!.points, Joint.rElbow)).toEqual([1, 1, 1]);
    expect(at(frame.people[0]!.points, Joint.lWrist)).toEqual([91, 1, 1]);
    const chosen = warnings.filter((w) => w.code === 'limb-variant-chosen');
    expect(chosen.map((w) => w.joints)).toEqual([
      ['right_shoulder1', 'right_elbow1', 'right_hand1'],
      ['left_shoulder1', 'left_elbow1', 'left_hand1'],
    ]);
    expect(warnings.find((w) => w.code === 'unmapped-joints')!.joints).toHaveLength(12);
    expect(warnings.find((w) => w.code === 'missing-joints')!.joints).toEqual([
      'right hip',
      'right knee',
      'right ankle',
      'left hip',
      'left knee',
      'left ankle',
    ]);
  });

  it('four legs: front legs (_f) are the legs, back legs are named as left out', () => {
    const legs = ['_f', '_b'].flatMap((s, k) =>
      ['hip', 'knee', 'foot'].flatMap((n) => [
        j(`right_${n}${s}`, 10 + k, 50),
        j(`left_${n}${s}`, 20 + k, 50),
      ]),
    );
    const { frame, warnings } = rigToCoco(
      rig([j('root', 0, 0), j('hip', 0, 0), j('torso', 5, 5), j('neck', 6, 1), ...legs]),
    );
    expect(at(frame.people[0]!.points, Joint.rKnee)).toEqual([10, 50, 1]);
    expect(warnings.find((w) => w.code === 'unmapped-joints')!.joints).toEqual([
      'right_hip_b',
      'left_hip_b',
      'right_knee_b',
      'left_knee_b',
      'right_foot_b',
      'left_foot_b',
    ]);
    expect(warnings.find((w) => w.code === 'missing-joints')!.joints).toHaveLength(6); // no arms
  });

  it('a rig with a gap in a limb keeps the rest of it and says which point is missing', () => {
    const { frame, warnings } = rigToCoco(rig(HUMAN.filter((x) => x.name !== 'left_elbow')));
    expect(at(frame.people[0]!.points, Joint.lElbow)).toEqual([0, 0, 0]);
    expect(at(frame.people[0]!.points, Joint.lWrist)).toEqual([62, 22, 1]);
    expect(warnings.find((w) => w.code === 'missing-joints')!.joints).toEqual([
      'nose',
      'neck',
      'left elbow',
    ]);
  });
});
