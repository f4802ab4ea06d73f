import { describe, expect, it } from 'vitest';
import { forwardKinematics } from './fk';
import { parseBvh } from './parse';
import { chainClip } from './testClips';

/** World positions of the child joint and the End Site, rounded off float noise. */
function tips(text: string): number[][] {
  const fk = forwardKinematics(parseBvh(text), 0);
  const r = (v: ArrayLike<number>) => Array.from(v, (x) => Math.round(x * 1e9) / 1e9 + 0);
  return [
    r(fk.position.subarray(0, 3)),
    r(fk.position.subarray(3, 6)),
    r(fk.endSite.subarray(3, 6)),
  ];
}

describe('forwardKinematics', () => {
  // Worked by hand: R is the product of the axis rotations in CHANNELS order (column vectors);
  // the child hangs at R·(0, 10, 0) from the root at (1, 2, 3), its End Site R·(0, 5, 0) further.
  it('ZXY, Z = 90°, X = 90°: Rz·Rx·(0,10,0) = Rz·(0,0,10) = (0,0,10)', () => {
    expect(tips(chainClip('Zrotation Xrotation Yrotation', [90, 90, 0]))).toEqual([
      [1, 2, 3],
      [1, 2, 13],
      [1, 2, 18],
    ]);
  });

  it('XYZ, same angles: Rx·Rz·(0,10,0) = Rx·(−10,0,0) = (−10,0,0) — the order matters', () => {
    expect(tips(chainClip('Xrotation Yrotation Zrotation', [90, 0, 90]))).toEqual([
      [1, 2, 3],
      [-9, 2, 3],
      [-14, 2, 3],
    ]);
  });

  it('YXZ, Y = 90°, X = −90°: Ry·Rx·(0,10,0) = Ry·(0,0,−10) = (−10,0,0)', () => {
    expect(tips(chainClip('Yrotation Xrotation Zrotation', [90, -90, 0]))).toEqual([
      [1, 2, 3],
      [-9, 2, 3],
      [-14, 2, 3],
    ]);
  });

  it('reads position channels listed after the rotations', () => {
    const text = chainClip('Zrotation Xrotation Yrotation', [90, 90, 0])
      .replace(
        'CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation',
        'CHANNELS 6 Zrotation Xrotation Yrotation Xposition Yposition Zposition',
      )
      .replace('1 2 3 90 90 0 0 0 0', '90 90 0 1 2 3 0 0 0');
    expect(tips(text)[1]).toEqual([1, 2, 13]);
  });

  it('composes the child rotation after its parent’s', () => {
    // root Z = 90° turns the child's own X = 90° axis: the End Site goes R_root·Rx·(0,5,0)
    const text = chainClip('Zrotation Xrotation Yrotation', [90, 0, 0]).replace(
      '1 2 3 90 0 0 0 0 0',
      '1 2 3 90 0 0 90 0 0',
    );
    // child at Rz(90)·(0,10,0) = (−10,0,0); End Site: Rz(90)·Rx(90)·(0,5,0) = Rz(90)·(0,0,5)
    expect(tips(text)).toEqual([
      [1, 2, 3],
      [-9, 2, 3],
      [-9, 2, 8],
    ]);
  });

  it('the rest pose (frame −1) is the offsets alone', () => {
    const fk = forwardKinematics(
      parseBvh(chainClip('Xrotation Yrotation Zrotation', [90, 90, 90])),
      -1,
    );
    expect(Array.from(fk.position)).toEqual([0, 0, 0, 0, 10, 0]);
  });
});
