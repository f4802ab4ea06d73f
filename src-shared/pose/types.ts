import { POINT_COUNT } from './skeleton';

/** Numbers stored per point: x, y (pixels of the canvas) and confidence (0 = missing / hidden). */
export const STRIDE = 3;
export const POINTS_LENGTH = POINT_COUNT * STRIDE; // 408

/**
 * One person's pose: 136 points as a flat [x0, y0, c0, x1, y1, c1, …] array in canvas pixels.
 * A point with c <= 0 is missing (never drawn, never exported as present). Float64 so that values
 * read from files round-trip exactly.
 */
export interface PersonPose {
  /** Stable identity of the person across frames (OpenPose `person_id`, tracker id, lane id). */
  id: number;
  points: Float64Array;
}

/** All people of one frame on a canvas of width × height pixels. */
export interface PoseFrame {
  width: number;
  height: number;
  people: PersonPose[];
}

export function emptyPoints(): Float64Array {
  return new Float64Array(POINTS_LENGTH);
}

export function createPerson(id = 0): PersonPose {
  return { id, points: emptyPoints() };
}

export function isPresent(points: Float64Array, index: number): boolean {
  return points[index * STRIDE + 2]! > 0;
}

export function setPoint(points: Float64Array, index: number, x: number, y: number, c = 1): void {
  const o = index * STRIDE;
  points[o] = x;
  points[o + 1] = y;
  points[o + 2] = c;
}

export function clonePerson(p: PersonPose): PersonPose {
  return { id: p.id, points: new Float64Array(p.points) };
}

export function cloneFrame(f: PoseFrame): PoseFrame {
  return { width: f.width, height: f.height, people: f.people.map(clonePerson) };
}

/** Easing of the segment that starts at a keyframe and ends at the next one. */
export type Easing =
  | { kind: 'hold' }
  | { kind: 'linear' }
  /** CSS-style cubic-bezier(x1, y1, x2, y2) from (0,0) to (1,1); x1, x2 in [0, 1]. */
  | { kind: 'bezier'; x1: number; y1: number; x2: number; y2: number };

/** A keyframe is plain data (as in Theatre.js): a pose at a frame and how to leave it. */
export interface Keyframe {
  id: string;
  frame: number;
  points: Float64Array;
  easing: Easing;
}

/** The keyframes of one person, sorted by frame, no two on the same frame. */
export interface PersonTrack {
  personId: number;
  name?: string;
  keyframes: Keyframe[];
}

/** A pose sequence: one keyframe lane per person on a canvas of width × height. */
export interface PoseTrack {
  width: number;
  height: number;
  people: PersonTrack[];
}
