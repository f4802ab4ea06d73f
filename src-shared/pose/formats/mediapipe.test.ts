import { describe, expect, it } from 'vitest';
import { FEET, Joint } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { PoseFormatError } from './errors';
import { importMediaPipe } from './mediapipe';

/** Landmark m at (m / 100, 0.5 + m / 100), visibility 0.9. */
const landmarks = (): { x: number; y: number; z: number; visibility: number }[] =>
  Array.from({ length: 33 }, (_, m) => ({ x: m / 100, y: 0.5 + m / 100, z: 0, visibility: 0.9 }));
const xyOf = (p: Float64Array, i: number): number[] => [
  Math.round(p[i * STRIDE]! * 1e6) / 1e6,
  Math.round(p[i * STRIDE + 1]! * 1e6) / 1e6,
  p[i * STRIDE + 2]!,
];
const size = { width: 100, height: 100 };

describe('importMediaPipe', () => {
  it('maps BlazePose landmarks onto the body and feet in pixels', () => {
    const r = importMediaPipe(landmarks(), { size });
    expect(r.format).toBe('mediapipe');
    const p = r.frames[0]!.people[0]!.points;
    expect(xyOf(p, Joint.nose)).toEqual([0, 50, 0.9]);
    expect(xyOf(p, Joint.lEye)).toEqual([2, 52, 0.9]);
    expect(xyOf(p, Joint.rEye)).toEqual([5, 55, 0.9]);
    expect(xyOf(p, Joint.lEar)).toEqual([7, 57, 0.9]);
    expect(xyOf(p, Joint.rEar)).toEqual([8, 58, 0.9]);
    expect(xyOf(p, Joint.lShoulder)).toEqual([11, 61, 0.9]);
    expect(xyOf(p, Joint.rShoulder)).toEqual([12, 62, 0.9]);
    expect(xyOf(p, Joint.neck)).toEqual([11.5, 61.5, 0.9]);
    expect(xyOf(p, Joint.rWrist)).toEqual([16, 66, 0.9]);
    expect(xyOf(p, Joint.lHip)).toEqual([23, 73, 0.9]);
    expect(xyOf(p, Joint.rAnkle)).toEqual([28, 78, 0.9]);
    expect(xyOf(p, FEET.start)).toEqual([31, 81, 0.9]); // left foot index → big toe
    expect(xyOf(p, FEET.start + 2)).toEqual([29, 79, 0.9]); // left heel
    expect(xyOf(p, FEET.start + 3)).toEqual([32, 82, 0.9]);
    expect(xyOf(p, FEET.start + 5)).toEqual([30, 80, 0.9]);
    expect(p[(FEET.start + 1) * STRIDE + 2]).toBe(0); // no small toe in BlazePose
    expect(r.warnings.map((w) => w.code)).toEqual(['dropped-data']);
  });

  it('low visibility is missing; the neck needs both shoulders', () => {
    const lm = landmarks();
    lm[12]!.visibility = 0.2;
    const r = importMediaPipe({ landmarks: [lm] }, { size });
    const p = r.frames[0]!.people[0]!.points;
    expect(p[Joint.rShoulder * STRIDE + 2]).toBe(0);
    expect(p[Joint.neck * STRIDE + 2]).toBe(0);
    expect(r.warnings.some((w) => w.code === 'dropped-point' && w.path === 'landmarks[0]')).toBe(
      true,
    );
  });

  it('reads Tasks results, protobuf-style objects and per-frame lists', () => {
    expect(
      importMediaPipe({ landmarks: [landmarks(), landmarks()] }, { size }).frames[0]!.people,
    ).toHaveLength(2);
    expect(importMediaPipe({ landmark: landmarks() }, { size }).frames[0]!.people).toHaveLength(1);
    const video = importMediaPipe([landmarks(), landmarks(), { landmarks: [] }], { size });
    expect(video.frames.map((f) => f.people.length)).toEqual([1, 1, 0]);
  });

  it('uses the picture size, else 512×512 with a warning', () => {
    const r = importMediaPipe(landmarks(), { pictureSize: { width: 200, height: 300 } });
    expect([r.frames[0]!.width, r.frames[0]!.height]).toEqual([200, 300]);
    const g = importMediaPipe(landmarks());
    expect([g.frames[0]!.width, g.frames[0]!.height]).toEqual([512, 512]);
    expect(g.warnings.map((w) => w.code)).toContain('canvas-guessed');
  });

  it('errors name the landmark', () => {
    const lm = landmarks() as unknown as Record<string, unknown>[];
    lm[0]!.visibility = 'high';
    expect(() => importMediaPipe({ landmarks: [lm] })).toThrow(
      new PoseFormatError('expected a number, got the string "high"', 'landmarks[0][0].visibility'),
    );
    expect(() => importMediaPipe({ landmarks: [[{ x: 1, y: 2 }]] })).toThrow(/33 pose landmarks/);
  });
});
