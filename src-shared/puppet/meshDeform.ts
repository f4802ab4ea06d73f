/**
 * The skinned mesh's vertices moved into a frame: each vertex copy by its parts' bone maps
 * (linear-blend skinning of at most two parts). Shared by the rasterizer and the forward map.
 */
import type { Affine } from './affine';
import type { PuppetMesh } from './puppetMesh';

/** Frame positions of the mesh's vertices are multiples of 1/VERTEX_GRID px. */
const VERTEX_GRID = 256;

/** Vertex copies moved by their bones: [x, y, …] in frame pixels. */
export function deformVertices(mesh: PuppetMesh, bones: readonly Affine[]): Float64Array {
  const { source, part1, part2, weight1 } = mesh;
  const n = part1.length;
  const out = new Float64Array(2 * n);
  for (let v = 0; v < n; v++) {
    const x = source[2 * v]!;
    const y = source[2 * v + 1]!;
    const m = bones[part1[v]!]!;
    const w = weight1[v]!;
    let u = m[0] * x + m[2] * y + m[4];
    let t = m[1] * x + m[3] * y + m[5];
    if (w < 1) {
      const q = bones[part2[v]!]!;
      u = w * u + (1 - w) * (q[0] * x + q[2] * y + q[4]);
      t = w * t + (1 - w) * (q[1] * x + q[3] * y + q[5]);
    }
    // On a 1/256 px grid: two copies of one vertex whose bones' maps differ by rounding noise
    // (an unstitched border between two parts that did not move: at the reference pose, torso and
    // thigh maps are the identity to within 1e-13) land on the same point, so the scanline rule
    // splits their shared edge exactly. Unsnapped, pixel centres on that edge fell between both
    // triangles and showed the plate (a person in a dress: 10 pixels down the thigh's top).
    out[2 * v] = Math.round(u * VERTEX_GRID) / VERTEX_GRID;
    out[2 * v + 1] = Math.round(t * VERTEX_GRID) / VERTEX_GRID;
  }
  return out;
}
