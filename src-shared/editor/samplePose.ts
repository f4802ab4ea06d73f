import { Joint, LEFT_HAND, RIGHT_HAND, FACE } from '#shared/pose/skeleton';
import { emptyPoints, setPoint, type PoseTrack } from '#shared/pose/types';

/**
 * The sample poses: a standing person with hands spread from the wrists and a ring of face points
 * around the nose (136 present points; the standalone editor's sample,
 * src-renderer/editor/standalone/samples.ts), and a two-person track the editor's tests and
 * benchmarks share. Coordinates are canvas pixels.
 */
export function standingPerson(cx = 200, top = 60): Float64Array {
  const p = emptyPoints();
  const body: [number, number][] = [
    [0, -10], // nose
    [0, 30], // neck
    [-40, 32],
    [-55, 90],
    [-60, 145], // r arm
    [40, 32],
    [55, 90],
    [60, 145], // l arm
    [-22, 140],
    [-25, 215],
    [-27, 290], // r leg
    [22, 140],
    [25, 215],
    [27, 290], // l leg
    [-7, -16],
    [7, -16],
    [-16, -12],
    [16, -12],
  ];
  body.forEach(([x, y], i) => setPoint(p, i, cx + x, top + y));
  const feet: [number, number][] = [
    [45, 300],
    [37, 302],
    [24, 296],
    [-45, 300],
    [-37, 302],
    [-24, 296],
  ];
  feet.forEach(([x, y], i) => setPoint(p, Joint.lBigToe + i, cx + x, top + y));
  // A face in the 68-landmark layout (+2 pupils) around the nose.
  const nx = cx;
  const ny = top - 10;
  const face = (i: number, x: number, y: number) => setPoint(p, FACE.start + i, nx + x, ny + y);
  const ring = (from: number, n: number, x: number, y: number, rx: number, ry: number) => {
    for (let k = 0; k < n; k++) {
      const a = Math.PI + (k / n) * Math.PI * 2;
      face(from + k, x + Math.cos(a) * rx, y + Math.sin(a) * ry);
    }
  };
  for (let i = 0; i < 17; i++) {
    const a = Math.PI - (i / 16) * Math.PI;
    face(i, Math.cos(a) * 15, -4 + Math.sin(a) * 17);
  }
  for (let i = 0; i < 5; i++) {
    face(17 + i, -13 + i * 2.4, -11 - Math.sin((i / 4) * Math.PI) * 1.5);
    face(22 + i, 3.4 + i * 2.4, -11 - Math.sin((i / 4) * Math.PI) * 1.5);
  }
  for (let i = 0; i < 4; i++) face(27 + i, 0, -7 + i * 2.2);
  for (let i = 0; i < 5; i++) face(31 + i, -4 + i * 2, 3 + Math.abs(i - 2) * -0.5);
  ring(36, 6, -6.5, -6, 3, 1.4);
  ring(42, 6, 6.5, -6, 3, 1.4);
  ring(48, 12, 0, 9, 6.5, 2.8);
  ring(60, 8, 0, 9, 4, 1);
  face(68, -6.5, -6);
  face(69, 6.5, -6);
  for (const [hand, wrist, dir] of [
    [LEFT_HAND, Joint.lWrist, 1],
    [RIGHT_HAND, Joint.rWrist, -1],
  ] as const) {
    const wx = p[wrist * 3]!;
    const wy = p[wrist * 3 + 1]!;
    setPoint(p, hand.start, wx, wy);
    // Five fingers fanned below the wrist, thumb on the outside, 4 joints each.
    for (let f = 0; f < 5; f++) {
      const a = Math.PI / 2 + dir * (f - 2) * 0.3;
      for (let k = 1; k <= 4; k++) {
        const r = 6 + k * 5 - (f === 0 ? 3 : 0);
        setPoint(p, hand.start + 1 + f * 4 + (k - 1), wx + Math.cos(a) * r, wy + Math.sin(a) * r);
      }
    }
  }
  return p;
}

export function twoPeopleTrack(): PoseTrack {
  return {
    width: 640,
    height: 480,
    people: [
      {
        personId: 0,
        keyframes: [
          { id: 'a0', frame: 0, points: standingPerson(180), easing: { kind: 'linear' } },
        ],
      },
      {
        personId: 1,
        keyframes: [
          { id: 'b0', frame: 0, points: standingPerson(440), easing: { kind: 'linear' } },
        ],
      },
    ],
  };
}
