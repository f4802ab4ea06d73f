import { describe, expect, it } from 'vitest';
import { BONE_COUNT } from './bones';
import { hiddenParts } from './hiddenParts';
import type { PartLabels } from './partLabels';

const N = 24;
const TORSO = 0;
const ARM = 2; // rUpperArm, drawn in front of the torso

/** Two triangles per pixel, so every pixel's centre is a triangle's centroid's cell. */
function pixelMesh() {
  const points = new Float64Array((N + 1) * (N + 1) * 2);
  for (let y = 0; y <= N; y++)
    for (let x = 0; x <= N; x++) points.set([x - 0.5, y - 0.5], (y * (N + 1) + x) * 2);
  const tris: number[] = [];
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const a = y * (N + 1) + x;
      tris.push(a, a + 1, a + N + 1, a + 1, a + N + 2, a + N + 1);
    }
  return { points, triangles: new Uint32Array(tris) };
}

describe('hiddenParts', () => {
  it('fills under the front part only where it touches the part behind, not in a piece apart inside its extent', () => {
    const first = new Int8Array(N * N).fill(-1);
    const set = (x0: number, x1: number, y0: number, y1: number, k: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) first[y * N + x] = k;
    };
    set(2, 21, 2, 21, TORSO);
    set(2, 9, 8, 12, ARM); // an arm lying over the torso's side
    set(13, 17, 15, 19, -1); // a gap in the character…
    set(14, 16, 16, 18, ARM); // …around a piece of the arm's part (a pole's tip)
    const labels: PartLabels = {
      x0: 0,
      y0: 0,
      w: N,
      h: N,
      scale: 1,
      first,
      second: new Int8Array(N * N).fill(-1),
      d1: new Float32Array(N * N),
      d2: new Float32Array(N * N).fill(Infinity),
    };
    const rgba = new Float32Array(N * N * 4);
    for (let i = 0; i < N * N; i++) if (first[i]! >= 0) rgba.set([100, 100, 100, 1], i * 4);
    const layers = Array.from({ length: BONE_COUNT }, (_, k) =>
      k === ARM ? 2 : k === TORSO ? 1 : 0,
    );
    const mesh = pixelMesh();
    const { hidden } = hiddenParts(
      mesh,
      labels,
      layers,
      { width: N, height: N, rgba },
      (rgb) => rgb,
    );
    const torso = hidden.find((h) => h.part === TORSO)!;
    const cells = new Set(
      torso.triangles.map((t) => {
        const v = [0, 1, 2].map((c) => mesh.triangles[t * 3 + c]!);
        const gx = v.reduce((s, a) => s + mesh.points[a * 2]!, 0) / 3;
        const gy = v.reduce((s, a) => s + mesh.points[a * 2 + 1]!, 0) / 3;
        return Math.round(gy) * N + Math.round(gx);
      }),
    );
    expect(cells.has(10 * N + 5)).toBe(true); // under the arm on the torso
    for (let y = 16; y <= 18; y++)
      for (let x = 14; x <= 16; x++) expect(cells.has(y * N + x)).toBe(false);
  });

  it('fills under an arm sticking out beside the body only where it joins it, even inside the body’s extent', () => {
    const first = new Int8Array(N * N).fill(-1);
    const set = (x0: number, x1: number, y0: number, y1: number, k: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) first[y * N + x] = k;
    };
    set(2, 11, 2, 21, TORSO);
    set(12, 21, 2, 4, TORSO); // an arm the pose has no place for: the torso's, widening its extent
    set(12, 21, 10, 12, ARM); // the mapped arm, beside the body, background above and below it
    const labels: PartLabels = {
      x0: 0,
      y0: 0,
      w: N,
      h: N,
      scale: 1,
      first,
      second: new Int8Array(N * N).fill(-1),
      d1: new Float32Array(N * N),
      d2: new Float32Array(N * N).fill(Infinity),
    };
    const rgba = new Float32Array(N * N * 4);
    for (let i = 0; i < N * N; i++) if (first[i]! >= 0) rgba.set([100, 100, 100, 1], i * 4);
    const layers = Array.from({ length: BONE_COUNT }, (_, k) =>
      k === ARM ? 2 : k === TORSO ? 1 : 0,
    );
    const mesh = pixelMesh();
    const { hidden } = hiddenParts(
      mesh,
      labels,
      layers,
      { width: N, height: N, rgba },
      (rgb) => rgb,
    );
    const cells = new Set(
      (hidden.find((h) => h.part === TORSO)?.triangles ?? []).map((t) => {
        const v = [0, 1, 2].map((c) => mesh.triangles[t * 3 + c]!);
        const gx = v.reduce((s, a) => s + mesh.points[a * 2]!, 0) / 3;
        const gy = v.reduce((s, a) => s + mesh.points[a * 2 + 1]!, 0) / 3;
        return Math.round(gy) * N + Math.round(gx);
      }),
    );
    // The arm's cells inside the torso's hull (x ≤ 16 on its middle row), away from the body: no
    // torso is under them, so nothing of the torso may show there once the arm has moved.
    for (let x = 15; x <= 16; x++) expect(cells.has(11 * N + x)).toBe(false);
    expect(cells.has(11 * N + 12)).toBe(true); // where it joins the body
  });
});
