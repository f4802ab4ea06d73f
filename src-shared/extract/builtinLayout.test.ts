import { describe, expect, it } from 'vitest';
import { FACE, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { assembleBuiltin, MESH_TO_IBUG68, type RawBody, type RawHand } from './builtinLayout';

const body = (dx: number): RawBody => ({
  score: 0.8,
  keypoints: [
    { part: 'nose', x: 100 + dx, y: 50, score: 0.9 },
    { part: 'leftShoulder', x: 120 + dx, y: 90, score: 0.8 },
    { part: 'rightShoulder', x: 80 + dx, y: 90, score: 0.8 },
    { part: 'leftWrist', x: 140 + dx, y: 160, score: 0.7 },
    { part: 'rightWrist', x: 60 + dx, y: 160, score: 0.1 },
  ],
});
const hand = (x: number, y: number): RawHand => ({
  score: 0.9,
  points: Array.from({ length: 21 }, (_, k) => [x + k, y + k] as const),
});

describe('assembleBuiltin', () => {
  it('maps MoveNet parts, computes the neck and drops low-scoring points', () => {
    const [p] = assembleBuiltin([body(0)], [], [], 0.2);
    expect(p![Joint.nose * 3]).toBe(100);
    expect(p![Joint.lShoulder * 3]).toBe(120);
    expect(p![Joint.neck * 3]).toBe(100);
    expect(p![Joint.rWrist * 3 + 2]).toBe(0);
  });

  it('gives each hand to the nearest wrist of the right person and side', () => {
    const people = assembleBuiltin([body(0), body(400)], [], [hand(541, 161), hand(141, 162)], 0.2);
    expect(people[1]![LEFT_HAND.start * 3]).toBe(541);
    expect(people[0]![LEFT_HAND.start * 3]).toBe(141);
    expect(people[0]![RIGHT_HAND.start * 3 + 2]).toBe(0);
    // A hand far from every wrist is nobody's.
    const lone = assembleBuiltin([body(0)], [], [hand(900, 900)], 0.2);
    expect(lone[0]![LEFT_HAND.start * 3 + 2]).toBe(0);
  });

  it('gives a face to the person whose nose is inside its box, with pupils from the irises', () => {
    const mesh = Array.from({ length: 478 }, (_, i) => [400 + (i % 10), 40 + i / 100] as const);
    const m = [...mesh] as (readonly [number, number])[];
    m[33] = [390, 45];
    m[133] = [396, 45];
    m[362] = [404, 45];
    m[263] = [410, 45];
    m[468] = [393, 45];
    m[473] = [407, 45];
    const people = assembleBuiltin(
      [body(0), body(300)],
      [{ score: 0.95, box: [370, 20, 60, 60], mesh: m }],
      [],
      0.2,
    );
    expect(people[0]![FACE.start * 3 + 2]).toBe(0);
    expect(people[1]![FACE.start * 3]).toBe(m[MESH_TO_IBUG68[0]!]![0]);
    expect(people[1]![(FACE.start + 68) * 3]).toBe(393); // right pupil
    expect(people[1]![(FACE.start + 69) * 3]).toBe(407);
  });

  it('uses 68 distinct mesh points', () => {
    expect(new Set(MESH_TO_IBUG68).size).toBe(68);
  });
});
