/**
 * Where each picture pixel lands in a frame: the skinned mesh read forward (picture → frame), one
 * position per pixel its own part's triangles cover. For checks and diagnostics (joints landing on
 * their targets, the expected picture behind the hole and stray-pixel counts), not for rendering.
 */
import type { Affine } from './affine';
import { deformVertices } from './meshDeform';
import type { PuppetMesh } from './puppetMesh';

/** Per picture pixel [u, v] in frame pixels; NaN where no triangle of the mesh covers the pixel. */
export function pictureToFrame(
  mesh: PuppetMesh,
  bones: readonly Affine[],
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(2 * width * height).fill(NaN);
  const pos = deformVertices(mesh, bones);
  const { source, triangles, triTexture } = mesh;
  for (let t = 0; t < triTexture.length; t++) {
    // Hidden-area triangles overlap the parts in front of them in the picture: not a pixel's own place.
    if (triTexture[t] !== 0) continue;
    const v = [triangles[3 * t]!, triangles[3 * t + 1]!, triangles[3 * t + 2]!];
    const sx = v.map((i) => source[2 * i]!);
    const sy = v.map((i) => source[2 * i + 1]!);
    const tx = v.map((i) => pos[2 * i]!);
    const ty = v.map((i) => pos[2 * i + 1]!);
    const det = (sx[1]! - sx[0]!) * (sy[2]! - sy[0]!) - (sy[1]! - sy[0]!) * (sx[2]! - sx[0]!);
    if (Math.abs(det) < 1e-12) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(...sx)));
    const x1 = Math.min(width - 1, Math.floor(Math.max(...sx)));
    const y0 = Math.max(0, Math.ceil(Math.min(...sy)));
    const y1 = Math.min(height - 1, Math.floor(Math.max(...sy)));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        // Barycentric coordinates of the pixel centre in the picture-space triangle.
        const b1 = ((x - sx[0]!) * (sy[2]! - sy[0]!) - (y - sy[0]!) * (sx[2]! - sx[0]!)) / det;
        const b2 = ((sx[1]! - sx[0]!) * (y - sy[0]!) - (sy[1]! - sy[0]!) * (x - sx[0]!)) / det;
        const b0 = 1 - b1 - b2;
        if (b0 < -1e-9 || b1 < -1e-9 || b2 < -1e-9) continue;
        const i = y * width + x;
        out[2 * i] = b0 * tx[0]! + b1 * tx[1]! + b2 * tx[2]!;
        out[2 * i + 1] = b0 * ty[0]! + b1 * ty[1]! + b2 * ty[2]!;
      }
  }
  return out;
}
