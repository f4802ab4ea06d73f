import { describe, expect, it } from 'vitest';
import { BODY_LIMBS, HAND_EDGES, Joint, LEFT_HAND } from '#shared/pose/skeleton';
import { evaluateTrack } from '#shared/pose/track';
import { applyCommand } from './commands';
import { dragJoint } from './dragJoint';
import { setPoseAt } from './keyframeOps';
import { standingPerson, twoPeopleTrack } from './samplePose';
import { createTrackPose } from './trackPose';

const len = (p: Float64Array, a: number, b: number) =>
  Math.hypot(p[a * 3]! - p[b * 3]!, p[a * 3 + 1]! - p[b * 3 + 1]!);

describe('editing two keyframes gives in-betweens with unchanged limb lengths', () => {
  it('IK-dragging a wrist at frame 20 and evaluating frame 10 keeps every body limb length', () => {
    let track = twoPeopleTrack();
    const start = track.people[0]!.keyframes[0]!.points;
    // raise the left arm over the head with IK, and swing the right leg with FK
    let pose = dragJoint(start, Joint.lWrist, 250, 20, 'ik');
    pose = dragJoint(pose, Joint.rKnee, 120, 250, 'fk');
    track = applyCommand(
      track,
      setPoseAt(track, 0, 20, pose, () => 'k20'),
    );
    expect(track.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 20]);
    for (const frame of [5, 10, 15]) {
      const mid = evaluateTrack(track, frame).people.find((p) => p.id === 0)!.points;
      for (const [a, b] of BODY_LIMBS) expect(len(mid, a, b)).toBeCloseTo(len(start, a, b), 6);
      for (const [a, b] of HAND_EDGES)
        expect(len(mid, LEFT_HAND.start + a, LEFT_HAND.start + b)).toBeCloseTo(
          len(start, LEFT_HAND.start + a, LEFT_HAND.start + b),
          6,
        );
      // and the wrist really moved part of the way
      expect(mid[Joint.lWrist * 3 + 1]).toBeLessThan(start[Joint.lWrist * 3 + 1]!);
      expect(mid[Joint.lWrist * 3 + 1]).toBeGreaterThan(pose[Joint.lWrist * 3 + 1]!);
    }
  });

  it('the cached evaluator follows edits (a new track object) and matches evaluateTrack', () => {
    const poseAt = createTrackPose();
    let track = twoPeopleTrack();
    track = applyCommand(
      track,
      setPoseAt(track, 1, 30, standingPerson(500), () => 'b30'),
    );
    const a = poseAt(track, 15);
    expect(Array.from(a.people[1]!.points)).toEqual(
      Array.from(evaluateTrack(track, 15).people[1]!.points),
    );
    const edited = applyCommand(
      track,
      setPoseAt(track, 1, 30, standingPerson(300), () => 'x'),
    );
    expect(poseAt(edited, 15).people[1]!.points[3]).not.toBe(a.people[1]!.points[3]);
  });
});
