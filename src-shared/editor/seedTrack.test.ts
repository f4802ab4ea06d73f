import { describe, expect, it } from 'vitest';
import type { Character } from '#shared/api/model';
import type { PoseTrack } from '#shared/pose/types';
import { applyCommand, invertCommand } from './commands';
import { characterPoseOnCanvas, seedTrackCommand, trackIsEmpty } from './seedTrack';

const canvas = { width: 512, height: 512 };
const character: Character = {
  name: 'Player',
  picture: 'assets/spin.jpg',
  pictureWidth: 153,
  pictureHeight: 192,
  mask: null,
  joints: [
    { index: 0, name: 'nose', x: 76.5, y: 0, confidence: 0.9 },
    { index: 1, name: 'neck', x: 76.5, y: 192, confidence: 1 },
  ],
};
let id = 0;
const newId = () => `k${++id}`;

describe('characterPoseOnCanvas', () => {
  it('places the picture pose where the Editor shows the picture (centred, aspect kept)', () => {
    const p = characterPoseOnCanvas(character, canvas)!;
    expect(p).toHaveLength(408);
    expect(p[0]).toBeCloseTo(256, 9);
    expect(p[1]).toBeCloseTo(0, 9);
    expect(p[2]).toBe(0.9);
    expect(p[4]).toBeCloseTo(512, 9);
  });

  it('is null without a picture, a joint or a usable size', () => {
    expect(characterPoseOnCanvas(null, canvas)).toBeNull();
    expect(characterPoseOnCanvas({ ...character, picture: null }, canvas)).toBeNull();
    expect(characterPoseOnCanvas({ ...character, joints: [] }, canvas)).toBeNull();
    expect(characterPoseOnCanvas({ ...character, pictureWidth: 0 }, canvas)).toBeNull();
    expect(characterPoseOnCanvas(character, { width: NaN, height: 1 })).toBeNull();
  });
});

describe('seedTrackCommand', () => {
  const points = characterPoseOnCanvas(character, canvas)!;

  it('adds the first person with one key on a track without people, and undoes', () => {
    const empty: PoseTrack = { ...canvas, people: [] };
    const c = seedTrackCommand(empty, points, 0, newId)!;
    const seeded = applyCommand(empty, c);
    expect(trackIsEmpty(seeded)).toBe(false);
    expect(seeded.people[0]!.keyframes[0]!.points).toEqual(points);
    expect(applyCommand(seeded, invertCommand(c))).toEqual(empty);
  });

  it('keys the first person of a track whose people have no keys', () => {
    const track: PoseTrack = { ...canvas, people: [{ personId: 4, keyframes: [] }] };
    const seeded = applyCommand(track, seedTrackCommand(track, points, 12, newId)!);
    expect(seeded.people[0]!.keyframes.map((k) => k.frame)).toEqual([12]);
  });

  it("never touches a track that has a user's key", () => {
    const track: PoseTrack = {
      ...canvas,
      people: [
        {
          personId: 0,
          keyframes: [
            { id: 'mine', frame: 5, points: new Float64Array(408), easing: { kind: 'hold' } },
          ],
        },
      ],
    };
    expect(seedTrackCommand(track, points, 0, newId)).toBeNull();
  });
});
