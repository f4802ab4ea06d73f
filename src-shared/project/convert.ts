/**
 * Between the JSON shape of a project (plain number arrays, what zod validates and files hold)
 * and the pose domain types (`Float64Array` points, what interpolation and rendering use).
 * Values are copied, never shared, so editing one side cannot silently change the other.
 */
import type { Keyframe, PersonPose, PersonTrack, PoseFrame, PoseTrack } from '#shared/pose/types';
import type { CharacterJson, KeyframeJson, PersonLaneJson, TrackJson } from './schema';

/** A project track as a domain `PoseTrack` (id, name and fps are the JSON's business). */
export function toPoseTrack(track: TrackJson): PoseTrack {
  return {
    width: track.width,
    height: track.height,
    people: track.people.map(toPersonTrack),
  };
}

export function toPersonTrack(lane: PersonLaneJson): PersonTrack {
  const out: PersonTrack = { personId: lane.personId, keyframes: lane.keyframes.map(toKeyframe) };
  if (lane.name !== undefined) out.name = lane.name;
  return out;
}

export function toKeyframe(kf: KeyframeJson): Keyframe {
  return {
    id: kf.id,
    frame: kf.frame,
    points: Float64Array.from(kf.points),
    easing: { ...kf.easing },
  };
}

/** What a track has beyond the domain `PoseTrack`. */
export interface TrackInfo {
  id: string;
  name: string;
  fps: number;
}

/**
 * A domain `PoseTrack` as project JSON. Not validated here: pass the project through
 * `parseProject` (the store does on save) to check sorting, finiteness and lengths.
 */
export function fromPoseTrack(track: PoseTrack, info: TrackInfo): TrackJson {
  return {
    id: info.id,
    name: info.name,
    width: track.width,
    height: track.height,
    fps: info.fps,
    people: track.people.map(fromPersonTrack),
  };
}

export function fromPersonTrack(lane: PersonTrack): PersonLaneJson {
  const out: PersonLaneJson = {
    personId: lane.personId,
    keyframes: lane.keyframes.map(fromKeyframe),
  };
  if (lane.name !== undefined) out.name = lane.name;
  return out;
}

export function fromKeyframe(kf: Keyframe): KeyframeJson {
  return { id: kf.id, frame: kf.frame, points: Array.from(kf.points), easing: { ...kf.easing } };
}

/** The character's reference pose as a one-person frame on a canvas of the picture's size. */
export function characterPoseFrame(
  character: CharacterJson,
  pictureSize: { width: number; height: number },
): PoseFrame {
  return {
    width: pictureSize.width,
    height: pictureSize.height,
    people: [characterPerson(character)],
  };
}

export function characterPerson(character: CharacterJson, id = 0): PersonPose {
  return { id, points: Float64Array.from(character.referencePose) };
}
