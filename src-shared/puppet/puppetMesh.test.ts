import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { stockPose } from '#test/fixtures/characters/drawCharacter';
import { boneTransforms, BONE_COUNT } from './bones';
import type { MeshTexture } from './hiddenParts';
import { layerOrder } from './layerOrder';
import { maskFromPose } from './mask';
import { meshJoints } from './meshJoints';
import { pictureToFrame } from './meshForward';
import { renderMesh } from './meshRaster';
import { partLabels } from './partLabels';
import { buildPuppetMesh } from './puppetMesh';
import { triangulateMask } from './triangulateMask';

const W = 512;
const H = 512;

/** A character from the stock pose: capsules round its bones as the mask, no hidden areas. */
function rig(ref = stockPose()) {
  const mask = maskFromPose(W, H, ref);
  const joints = meshJoints(ref);
  const seam = Math.max(4, 0.08 * joints.torso);
  const labels = partLabels(ref, mask, W, H, seam);
  const tri = triangulateMask(mask, W, H);
  const mesh = buildPuppetMesh({ mesh: tri, labels, joints, seam, layers: layerOrder(ref) });
  return { ref, mask, tri, mesh };
}

/** A texture of the mask: opaque where set, a colour per pixel that says where it came from. */
function coded(mask: Uint8Array): MeshTexture {
  const rgba = new Float32Array(4 * W * H);
  for (let i = 0; i < W * H; i++) {
    if (!mask[i]) continue;
    rgba[4 * i] = (i % W) % 256;
    rgba[4 * i + 1] = Math.floor(i / W) % 256;
    rgba[4 * i + 2] = 128;
    rgba[4 * i + 3] = 1;
  }
  return { x0: 0, y0: 0, width: W, height: H, rgba };
}

/**
 * Connected pieces of the set pixels (4-connected) and holes (unset pieces not touching the
 * border), each of at least `min` pixels.
 */
function pieces(set: (i: number) => boolean, min = 1): { pieces: number; holes: number } {
  const seen = new Uint8Array(W * H);
  let fg = 0;
  let holes = 0;
  for (let s = 0; s < W * H; s++) {
    if (seen[s]) continue;
    const on = set(s);
    let border = false;
    const stack = [s];
    seen[s] = 1;
    let size = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const x = p % W;
      const y = (p - x) / W;
      if (x === 0 || y === 0 || x === W - 1 || y === H - 1) border = true;
      for (const q of [x > 0 ? p - 1 : -1, x < W - 1 ? p + 1 : -1, p - W, p + W])
        if (q >= 0 && q < W * H && !seen[q] && set(q) === on) {
          seen[q] = 1;
          stack.push(q);
        }
    }
    if (on && size >= min) fg++;
    else if (!on && !border && size >= min) holes++;
  }
  return { pieces: fg, holes };
}

/** Each whole arm turned about its shoulder (radians, clockwise on screen). */
function raisedArmsPose(ref: Float64Array, right: number, left: number): Float64Array {
  const p = new Float64Array(ref);
  for (const [s, pts, a] of [
    [Joint.rShoulder, [Joint.rElbow, Joint.rWrist], right],
    [Joint.lShoulder, [Joint.lElbow, Joint.lWrist], left],
  ] as const) {
    const cx = p[s * 3]!;
    const cy = p[s * 3 + 1]!;
    for (const i of pts) {
      const x = p[i * 3]! - cx;
      const y = p[i * 3 + 1]! - cy;
      p[i * 3] = cx + x * Math.cos(a) - y * Math.sin(a);
      p[i * 3 + 1] = cy + x * Math.sin(a) + y * Math.cos(a);
    }
  }
  return p;
}

const plate = new Uint8Array(3 * W * H);
const deg = (d: number) => (d * Math.PI) / 180;

describe('puppet mesh', () => {
  it('covers every pixel of the mask (each exactly once at the reference pose)', () => {
    const { mask, mesh } = rig();
    // Half-transparent texture: a pixel drawn twice would accumulate alpha 0.75.
    const tex = coded(mask);
    for (let i = 3; i < tex.rgba.length; i += 4) tex.rgba[i] = tex.rgba[i]! * 0.5;
    const identity = Array.from({ length: BONE_COUNT }, () => [1, 0, 0, 1, 0, 0] as const);
    const frame = renderMesh(mesh, [tex], identity, plate, W, H, 'nearest');
    let missing = 0;
    let twice = 0;
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      const y = (i - x) / W;
      // Interior pixels (the whole 3×3 neighbourhood in the mask): the mesh's border runs through
      // the mask's own border pixels, whose centres lie on the mesh's edge.
      let interior = true;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) if (!mask[(y + dy) * W + x + dx]) interior = false;
      if (interior && frame.alpha[i] === 0) missing++;
      if (frame.alpha[i]! > 160) twice++;
    }
    expect(missing).toBe(0);
    expect(twice).toBe(0);
  });

  it('gives the picture back exactly at the reference pose', () => {
    const { ref, mask, mesh } = rig();
    const tex = coded(mask);
    const frame = renderMesh(mesh, [tex], boneTransforms(ref, ref), plate, W, H, 'bilinear');
    let diff = 0;
    for (let i = 0; i < W * H; i++) {
      if (frame.alpha[i] !== 255) continue;
      for (let c = 0; c < 3; c++) if (frame.data[3 * i + c] !== tex.rgba[4 * i + c]) diff++;
    }
    expect(diff).toBe(0);
  });

  it('stays one piece without holes with both arms raised or lowered 60° and in a deep bend', () => {
    const { ref, mask, mesh } = rig();
    const tex = coded(mask);
    const bent = raisedArmsPose(ref, deg(60), deg(-60));
    const elbow = new Float64Array(bent);
    // Elbows bent 90° (forearms turned away from the head: folded onto it, arm and head would
    // enclose background, which is not a hole in the mesh).
    for (const [e, w] of [
      [Joint.rElbow, Joint.rWrist],
      [Joint.lElbow, Joint.lWrist],
    ] as const) {
      const ex = elbow[e * 3]!;
      const ey = elbow[e * 3 + 1]!;
      const x = elbow[w * 3]! - ex;
      const y = elbow[w * 3 + 1]! - ey;
      const a = e === Joint.rElbow ? deg(-90) : deg(90);
      elbow[w * 3] = ex + x * Math.cos(a) - y * Math.sin(a);
      elbow[w * 3 + 1] = ey + x * Math.sin(a) + y * Math.cos(a);
    }
    for (const pose of [bent, raisedArmsPose(ref, deg(-60), deg(60)), elbow]) {
      const frame = renderMesh(mesh, [tex], boneTransforms(ref, pose), plate, W, H, 'bilinear');
      // The mesh's own coverage: one connected piece with no hole in it. Where an arm lay
      // against the flank, the arm's border strip can be under a pixel wide: raised, it samples a
      // pixel centre here and there (single-pixel specks, 3 in the first pose, and the pixel
      // between a speck and the body), so pieces and holes under 5 px are not counted.
      const covered = pieces((i) => frame.alpha[i]! > 0, 5);
      expect(covered.pieces).toBe(1);
      expect(covered.holes).toBe(0);
    }
  });

  it('lands the joints on their targets', () => {
    const { ref, mesh } = rig();
    const pose = raisedArmsPose(ref, deg(60), deg(-60));
    const map = pictureToFrame(mesh, boneTransforms(ref, pose), W, H);
    for (const j of [
      Joint.rElbow,
      Joint.lElbow,
      Joint.rWrist,
      Joint.lWrist,
      Joint.rKnee,
      Joint.lKnee,
      Joint.rAnkle,
      Joint.lAnkle,
    ]) {
      const x = Math.round(ref[j * 3]!);
      const y = Math.round(ref[j * 3 + 1]!);
      const i = y * W + x;
      const err = Math.hypot(map[2 * i]! - pose[j * 3]!, map[2 * i + 1]! - pose[j * 3 + 1]!);
      expect(err, `joint ${j}`).toBeLessThan(1.5);
    }
  });

  it('never crashes on degenerate input: empty mask, NaN poses, collapsed bones', () => {
    const empty = triangulateMask(new Uint8Array(W * H), W, H);
    expect(empty.triangles.length).toBe(0);
    const { ref, mesh, mask } = rig();
    const tex = coded(mask);
    const nan = new Float64Array(ref).fill(NaN);
    const bones = boneTransforms(ref, ref).map((b, k) => (k === 2 ? nan.slice(0, 6) : b));
    expect(() => renderMesh(mesh, [tex], bones as never, plate, W, H, 'bilinear')).not.toThrow();
    const huge = boneTransforms(ref, ref).map(() => [1e308, 0, 0, 1e308, 1e308, 0] as const);
    const frame = renderMesh(mesh, [tex], huge, plate, W, H, 'bilinear');
    expect(frame.changed).toEqual([0, 0, 0, 0]);
  });
});
