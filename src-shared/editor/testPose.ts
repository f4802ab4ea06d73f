import { HAND_COUNT, Joint, LEFT_HAND, RIGHT_HAND, FACE } from '../pose/skeleton';
import { emptyPoints, setPoint, type PoseTrack } from '../pose/types';

/**
 * A standing person for tests and benchmarks, with hands spread from the wrists and a ring of face
 * points around the nose (136 present points). Coordinates are canvas pixels.
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
  for (let i = 0; i < FACE.count; i++) {
    const a = (i / FACE.count) * Math.PI * 2;
    setPoint(p, FACE.start + i, cx + Math.cos(a) * 14, top - 10 + Math.sin(a) * 18);
  }
  for (const [hand, wrist, dir] of [
    [LEFT_HAND, Joint.lWrist, 1],
    [RIGHT_HAND, Joint.rWrist, -1],
  ] as const) {
    const wx = p[wrist * 3]!;
    const wy = p[wrist * 3 + 1]!;
    setPoint(p, hand.start, wx, wy);
    for (let f = 0; f < 5; f++)
      for (let k = 1; k <= 4; k++) {
        const a = Math.PI / 2 - dir * (f - 2) * 0.25;
        setPoint(
          p,
          hand.start + 1 + f * 4 + (k - 1),
          wx + Math.cos(a) * 6 * k * dir * 0.3 + dir * f,
          wy + Math.sin(a) * 6 * k,
        );
      }
  }
  void HAND_COUNT;
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
