import { apply, invert, type Affine } from '#shared/puppet/affine';
import { BONES, boneTransforms, point } from '#shared/puppet/bones';
import type { PoseFrame } from '#shared/pose/types';
import type { LatentShape } from '#shared/diffusion/latents/latentMath';

/**
 * PoseCrafter's latent edit generalised to every body part with the puppet generator's bone maps
 * (`boneTransforms`, reference → target): each latent pixel near the target body takes the bone
 * whose target geometry is nearest, and samples the reference latent where that bone's inverse
 * map sends it. Pixels farther than `reach` (image pixels) from every bone keep the source latent
 * (background). Bilinear sampling; latents planar C×H×W at 1/8 of the image.
 */
export function warpLatentByBones(
  source: Float32Array,
  shape: LatentShape,
  reference: PoseFrame,
  target: PoseFrame,
  reach = 0.08 * Math.max(target.width, target.height),
): { latent: Float32Array; movedPixels: number } {
  const ref = reference.people[0]?.points;
  const tgt = target.people[0]?.points;
  const out = source.slice();
  if (!ref || !tgt) return { latent: out, movedPixels: 0 };
  const maps = boneTransforms(ref, tgt);
  const inverses: (Affine | null)[] = maps.map((m) => {
    try {
      return invert(m);
    } catch {
      return null;
    }
  });
  // Target-space anchor points of each bone: samples along its segment, or its fit points.
  const anchors: { x: number; y: number; bone: number }[] = [];
  BONES.forEach((bone, k) => {
    if (!inverses[k]) return;
    if (bone.segment) {
      const a = point(tgt, bone.segment[0]);
      const b = point(tgt, bone.segment[1]);
      if (!a || !b) return;
      for (let s = 0; s <= 8; s++)
        anchors.push({
          x: a[0] + ((b[0] - a[0]) * s) / 8,
          y: a[1] + ((b[1] - a[1]) * s) / 8,
          bone: k,
        });
    } else {
      // fitted bones (torso, head, hands) cover an area: their points, the midpoints of every
      // pair of them and their centroid
      const pts = (bone.fitPoints ?? []).map((i) => point(tgt, i)).filter((p) => p !== undefined);
      pts.forEach((p, i) => {
        anchors.push({ x: p[0], y: p[1], bone: k });
        for (const q of pts.slice(i + 1))
          anchors.push({ x: (p[0] + q[0]) / 2, y: (p[1] + q[1]) / 2, bone: k });
      });
      if (pts.length > 0)
        anchors.push({
          x: pts.reduce((a, p) => a + p[0], 0) / pts.length,
          y: pts.reduce((a, p) => a + p[1], 0) / pts.length,
          bone: k,
        });
    }
  });
  const scale = target.width / shape.width; // image pixels per latent pixel
  const plane = shape.height * shape.width;
  let movedPixels = 0;
  for (let y = 0; y < shape.height; y++)
    for (let x = 0; x < shape.width; x++) {
      const px = (x + 0.5) * scale;
      const py = (y + 0.5) * scale;
      let best = -1;
      let bestD = reach * reach;
      for (const a of anchors) {
        const d = (a.x - px) ** 2 + (a.y - py) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = a.bone;
        }
      }
      if (best < 0) continue;
      const [rx, ry] = apply(inverses[best]!, px, py);
      const sx = rx / scale - 0.5;
      const sy = ry / scale - 0.5;
      if (sx < 0 || sy < 0 || sx > shape.width - 1 || sy > shape.height - 1) continue;
      const ix = Math.min(Math.floor(sx), shape.width - 2);
      const iy = Math.min(Math.floor(sy), shape.height - 2);
      const fx = sx - ix;
      const fy = sy - iy;
      for (let c = 0; c < shape.channels; c++) {
        const o = c * plane;
        const v00 = source[o + iy * shape.width + ix]!;
        const v01 = source[o + iy * shape.width + ix + 1]!;
        const v10 = source[o + (iy + 1) * shape.width + ix]!;
        const v11 = source[o + (iy + 1) * shape.width + ix + 1]!;
        out[o + y * shape.width + x] =
          (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
      }
      movedPixels++;
    }
  return { latent: out, movedPixels };
}
