import { describe, expect, it } from 'vitest';
import { characterPoseFrame, fromPoseTrack, toPoseTrack } from './convert';
import { parseProject } from './parse';
import { sampleProject } from './testProjects';

describe('project JSON ⇄ pose types', () => {
  it('round-trips a track through PoseTrack exactly, with copies', () => {
    const project = parseProject(sampleProject());
    const json = project.tracks[0]!;
    json.people[0]!.keyframes[0]!.points[0] = 0.1 + 0.2;
    const track = toPoseTrack(json);
    expect(track.width).toBe(512);
    expect(track.people).toHaveLength(2);
    expect(track.people[1]!.name).toBe('Friend');
    const kf = track.people[0]!.keyframes[0]!;
    expect(kf.points).toBeInstanceOf(Float64Array);
    expect(kf.points[0]).toBe(0.30000000000000004);
    expect(track.people[1]!.keyframes[2]!.easing).toEqual({
      kind: 'bezier',
      x1: 0.42,
      y1: 0,
      x2: 0.58,
      y2: 1,
    });

    kf.points[1] = 999; // editing the domain copy must not change the JSON
    expect(json.people[0]!.keyframes[0]!.points[1]).not.toBe(999);
    kf.points[1] = json.people[0]!.keyframes[0]!.points[1]!;

    const back = fromPoseTrack(track, { id: json.id, name: json.name, fps: json.fps });
    expect(back).toEqual(json);
    expect(parseProject({ ...project, tracks: [back] }).tracks[0]).toEqual(json);
  });

  it('gives the character pose as a one-person frame', () => {
    const c = parseProject(sampleProject()).characters[0]!;
    const frame = characterPoseFrame(c, { width: 300, height: 400 });
    expect(frame.width).toBe(300);
    expect(frame.people).toHaveLength(1);
    expect(Array.from(frame.people[0]!.points)).toEqual(c.referencePose);
  });
});
