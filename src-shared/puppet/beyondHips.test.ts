import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { POINTS_LENGTH } from '#shared/pose/types';
import { BONE_COUNT, boneIndex } from './bones';
import { BAND_HALF_WIDTHS, beyondHips } from './beyondHips';
import { halfWidths, limbReach } from './limbReach';
import { labelCell, partLabels } from './partLabels';

const N = 128;
const grid = { x0: 0, y0: 0, w: N, h: N, scale: 1 };

function rect(mask: Uint8Array, x0: number, x1: number, y0: number, y1: number) {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * N + x] = 1;
}

function pose(points: [number, number, number][]): Float64Array {
  const p = new Float64Array(POINTS_LENGTH);
  for (const [j, x, y] of points) p.set([x, y, 1], j * 3);
  return p;
}

/**
 * A plump drawing: a wide body on two fat legs that meet at the crotch, each leg's bone down its
 * middle, so the crotch's outline below the hip line lies nearer the torso's quad than either bone.
 */
function plump() {
  const mask = new Uint8Array(N * N);
  rect(mask, 30, 98, 20, 70); // body
  rect(mask, 30, 62, 71, 120); // right leg
  rect(mask, 66, 98, 71, 120); // left leg
  const ref = pose([
    [Joint.neck, 64, 20],
    [Joint.rShoulder, 32, 25],
    [Joint.lShoulder, 96, 25],
    [Joint.rHip, 46, 70],
    [Joint.rKnee, 46, 96],
    [Joint.rAnkle, 46, 118],
    [Joint.lHip, 82, 70],
    [Joint.lKnee, 82, 96],
    [Joint.lAnkle, 82, 118],
  ]);
  return { mask, ref };
}

describe('beyondHips', () => {
  it('marks the thigh past its hip, within the leg’s width and its reach', () => {
    const ref = pose([
      [Joint.rHip, 40, 40],
      [Joint.rKnee, 40, 80],
      [Joint.rAnkle, 40, 110],
    ]);
    // The leg's half-width, 10 px.
    const limbHalf = new Float64Array(BONE_COUNT).fill(10);
    const cells: (Uint8Array | undefined)[] = Array.from({ length: BONE_COUNT }, () => undefined);
    cells[boneIndex('rThigh')] = new Uint8Array(N * N).fill(1);
    const zone = beyondHips(ref, cells, limbHalf, grid)!;
    const at = (x: number, y: number) => zone[y * N + x];
    const band = BAND_HALF_WIDTHS * 10;
    expect(at(40, 50)).toBe(1);
    expect(at(40 + Math.floor(band) - 1, 60)).toBe(1); // within the leg's width off the bone
    expect(at(40 + Math.ceil(band) + 2, 60)).toBe(0); // beside the leg
    expect(at(40, 38)).toBe(0); // above the hip: the torso's
    expect(at(40, 80 + Math.floor(band) - 1)).toBe(1); // past the knee, within the knee's width
    expect(at(40, 80 + Math.ceil(band) + 2)).toBe(0);
    // Outside the thigh's reach (a leg under a skirt reaches only below it): not marked.
    cells[boneIndex('rThigh')]!.fill(0, 0, 55 * N);
    expect(beyondHips(ref, cells, limbHalf, grid)![50 * N + 40]).toBe(0);
  });

  it('is undefined without a mapped thigh', () => {
    const ref = pose([[Joint.rHip, 40, 40]]);
    const cells = Array.from({ length: BONE_COUNT }, () => new Uint8Array(N * N).fill(1));
    expect(beyondHips(ref, cells, new Float64Array(BONE_COUNT).fill(10), grid)).toBeUndefined();
  });

  it('gives a plump drawing’s inner thighs to the thighs, not the torso above them', () => {
    const { mask, ref } = plump();
    const labels = partLabels(ref, mask, N, N, 6);
    const part = (x: number, y: number) => labels.first[labelCell(labels, x, y)]!;
    // The crotch's outline, 16 px off each bone and 5–20 px below the hip line.
    for (const y of [75, 80, 90]) {
      expect(part(61, y)).toBe(boneIndex('rThigh'));
      expect(part(67, y)).toBe(boneIndex('lThigh'));
    }
    // Above the crotch, the body stays the torso's.
    expect(part(64, 66)).toBe(boneIndex('torso'));
  });

  it('leaves a round body that hangs past its hips (legs on its lower sides) to the torso', () => {
    const mask = new Uint8Array(N * N);
    for (let y = 10; y < 118; y++)
      for (let x = 10; x < 118; x++)
        if ((x - 64) ** 2 + ((y - 60) * 1.1) ** 2 < 52 ** 2) mask[y * N + x] = 1;
    // Legs 13 px wide, out from the lower sides.
    for (let t = 0; t <= 30; t++) {
      rect(mask, Math.round(30 - t * 0.6) - 6, Math.round(30 - t * 0.6) + 6, 85 + t, 85 + t);
      rect(mask, Math.round(98 + t * 0.6) - 6, Math.round(98 + t * 0.6) + 6, 85 + t, 85 + t);
    }
    const ref = pose([
      [Joint.neck, 64, 15],
      [Joint.rShoulder, 30, 40],
      [Joint.lShoulder, 98, 40],
      [Joint.rHip, 30, 85],
      [Joint.rKnee, 21, 100],
      [Joint.rAnkle, 12, 115],
      [Joint.lHip, 98, 85],
      [Joint.lKnee, 107, 100],
      [Joint.lAnkle, 116, 115],
    ]);
    const limbHalf = new Float64Array(BONE_COUNT);
    const cells = limbReach(ref, halfWidths(mask, N, N), grid, undefined, limbHalf);
    const zone = beyondHips(ref, cells, limbHalf, grid)!;
    // The belly past each hip's cross-section, 12–14 px off the thigh's bone (inside its reach,
    // outside the leg's own width): not slowed, so it stays the torso's.
    for (const [x, y] of [
      [37, 98],
      [91, 98],
      [64, 105],
    ] as const)
      expect(zone[y * N + x]).toBe(0);
    const labels = partLabels(ref, mask, N, N, 6);
    const part = (x: number, y: number) => labels.first[labelCell(labels, x, y)]!;
    expect(part(64, 105)).toBe(boneIndex('torso'));
    expect(part(16, 108)).toBe(boneIndex('rShin'));
  });
});
