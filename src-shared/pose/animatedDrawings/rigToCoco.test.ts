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

  it('four legs: the front legs (nearest the chest) drive the arms, the hind legs the legs', () => {
    // An animal facing right: pelvis at the back, chest and head at the front.
    const leg = (side: string, s: string, x: number) =>
      ['hip', 'knee', 'foot'].map((n, k) => j(`${side}_${n}${s}`, x - k, 55 + 10 * k));
    const { frame, warnings } = rigToCoco(
      rig([
        j('root', 20, 50),
        j('hip', 20, 50),
        j('torso', 80, 45),
        j('neck', 90, 30),
        ...leg('right', '_b', 25),
        ...leg('left', '_b', 18),
        ...leg('right', '_f', 78),
        ...leg('left', '_f', 70),
      ]),
    );
    const p = frame.people[0]!.points;
    expect(at(p, Joint.rShoulder)).toEqual([78, 55, 1]);
    expect(at(p, Joint.lWrist)).toEqual([68, 75, 1]);
    expect(at(p, Joint.rHip)).toEqual([25, 55, 1]);
    expect(at(p, Joint.lAnkle)).toEqual([16, 75, 1]);
    // Every leg has a place: nothing is left out or missing.
    expect(warnings.map((w) => w.code)).toEqual([
      'limb-variant-chosen',
      'limb-variant-chosen',
      'limb-variant-chosen',
      'limb-variant-chosen',
    ]);
    expect(warnings[0]!.joints).toEqual(['right_hip_f', 'right_knee_f', 'right_foot_f']);
    expect(warnings[0]!.message).toContain('no arms');
  });

  it('four legs named the other way round are told apart by where they hang, not by name', () => {
    const leg = (side: string, s: string, x: number) =>
      ['hip', 'knee', 'foot'].map((n, k) => j(`${side}_${n}${s}`, x, 55 + 10 * k));
    const { frame } = rigToCoco(
      rig([
        j('root', 80, 50),
        j('torso', 20, 45),
        ...leg('right', '_f', 78),
        ...leg('left', '_f', 70),
        ...leg('right', '_b', 25),
        ...leg('left', '_b', 18),
      ]),
    );
    // The chest is on the left here: the `_b` legs hang from it.
    expect(at(frame.people[0]!.points, Joint.rShoulder)).toEqual([25, 55, 1]);
    expect(at(frame.people[0]!.points, Joint.rHip)).toEqual([78, 55, 1]);
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
