import { describe, expect, it } from 'vitest';
import { type Affine, IDENTITY } from './affine';
import type { MeshTexture } from './hiddenParts';
import { deformVertices } from './meshDeform';
import { renderMesh } from './meshRaster';
import type { PuppetMesh } from './puppetMesh';

const N = 16;

/**
 * A square cut along its diagonal into two parts that are not stitched: each part has its own
 * copies of the diagonal's two corners (as where an arm lay against the flank, or a leg comes out
 * from under a skirt). The diagonal runs through pixel centres (k, k).
 */
function twoParts(): PuppetMesh {
  const s = N - 1;
  return {
    // part 0: (0,0) (s,0) (s,s); part 1: its own (0,0) and (s,s), and (0,s)
    source: Float64Array.from([0, 0, s, 0, s, s, 0, 0, s, s, 0, s]),
    part1: Uint8Array.from([0, 0, 0, 1, 1, 1]),
    part2: Uint8Array.from([0, 0, 0, 1, 1, 1]),
    weight1: new Float32Array(6).fill(1),
    triangles: Uint32Array.from([0, 1, 2, 3, 4, 5]),
    triPart: Uint8Array.from([0, 1]),
    triTexture: Uint8Array.from([0, 0]),
  };
}

/** An opaque grey texture over the whole square. */
const TEXTURE: MeshTexture = {
  x0: 0,
  y0: 0,
  width: N,
  height: N,
  rgba: new Float32Array(N * N * 4).map((_, i) => (i % 4 === 3 ? 1 : 128)),
};

/** The identity give or take rounding noise, as a least-squares fit of unmoved points comes out. */
const NOISY: Affine = [1 + 1e-15, -1e-15, 1e-15, 1 - 1e-15, 3e-14, -2e-14];

describe('renderMesh on an unstitched border', () => {
  it('copies of one vertex under maps that differ by rounding noise land on the same point', () => {
    const pos = deformVertices(twoParts(), [IDENTITY, NOISY]);
    // (=== : +0 and −0 are the same point to the rasterizer.)
    expect([pos[6] === pos[0], pos[7] === pos[1], pos[8] === pos[4], pos[9] === pos[5]]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('two parts that did not move cover every pixel of the square, none twice (no crack)', () => {
    const plate = new Uint8Array(N * N * 3); // black: a crack shows as a black pixel
    for (const bones of [
      [IDENTITY, NOISY],
      [NOISY, IDENTITY],
    ]) {
      const frame = renderMesh(twoParts(), [TEXTURE], bones, plate, N, N, 'bilinear');
      let uncovered = 0;
      // The square's pixels whose centres lie inside it: [0, N−1) per axis (half-open rule).
      for (let y = 0; y < N - 1; y++)
        for (let x = 0; x < N - 1; x++) if (frame.alpha[y * N + x] !== 255) uncovered++;
      expect(uncovered).toBe(0);
      expect(Math.max(...frame.data.subarray(0, (N - 1) * N * 3))).toBeLessThanOrEqual(128);
    }
  });
});
