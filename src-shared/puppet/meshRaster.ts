/**
 * One puppet frame from the skinned mesh: the vertices are moved (meshDeform.ts), then the
 * triangles are drawn back to front, each pixel sampling its texture at the point of the picture
 * the triangle maps it from and blending over what is already there (premultiplied "over").
 * Composited last over the background plate's pixels in the box the character covers; the
 * accumulated alpha is the frame's character coverage.
 *
 * Hand-written scanline rasterizer: pixel (x, y) is covered by a triangle when its centre lies in
 * the half-open span [left, right) × [top, bottom) of the triangle, and each edge's crossing is
 * computed from its upper end in one canonical order — two triangles sharing an edge (the same
 * vertex copies) therefore split its pixels exactly, with no gap and no pixel drawn twice.
 */
import type { Affine } from './affine';
import { deformVertices } from './meshDeform';
import { pasteBox } from './framePatch';
import type { MeshTexture } from './hiddenParts';
import type { PuppetMesh } from './puppetMesh';
import type { PuppetSampling } from './quality';

export interface MeshFrame {
  /** W×H×3 frame: the plate with the character drawn over it. */
  readonly data: Uint8Array;
  /** W×H character coverage, 0–255 (0 where only the plate shows). */
  readonly alpha: Uint8Array;
  /** [x0, y0, x1, y1): outside this box the frame is the plate and alpha is 0. */
  readonly changed: [number, number, number, number];
}

/**
 * Only the box a frame's character was drawn into (empty when x1 ≤ x0): outside it the frame is
 * the plate. What the engine sends, so a frame costs neither a full-frame copy of the plate nor a
 * second cut of the box (512², char4's dab: 58% of the frame's bytes).
 */
export interface MeshBox {
  /** [x0, y0, x1, y1) within the frame. */
  readonly box: [number, number, number, number];
  /** The box's pixels, row by row (w·h·3): the plate with the character drawn over it. */
  readonly data: Uint8Array;
  /** The box's character coverage, 0–255, row by row (w·h). */
  readonly coverage: Uint8Array;
}

/** The frame: the plate with the mesh drawn over it (tests; renders use renderMeshBox). */
export function renderMesh(...args: Parameters<typeof renderMeshBox>): MeshFrame {
  const [, , , plate, width, height] = args;
  const { box, data, coverage } = renderMeshBox(...args);
  return {
    data: pasteBox(new Uint8Array(plate), data, width, 3, box),
    alpha: pasteBox(new Uint8Array(width * height), coverage, width, 1, box),
    changed: box,
  };
}

/**
 * The box's premultiplied accumulator, zeroed: one buffer reused by every frame (2 MB at 512²,
 * 8 MB at 1024²; allocating it per frame cost more in garbage collection than the fill does).
 * Safe to share: a frame is drawn without yielding, and nothing keeps the buffer.
 */
let scratch = new Float32Array(0);
function accumulator(length: number): Float32Array {
  if (scratch.length < length) scratch = new Float32Array(length);
  else scratch.fill(0, 0, length);
  return scratch;
}

/** The box the mesh is drawn into, over the plate's pixels there (see MeshBox). */
export function renderMeshBox(
  mesh: PuppetMesh,
  textures: readonly MeshTexture[],
  bones: readonly Affine[],
  plate: Uint8Array,
  width: number,
  height: number,
  sampling: PuppetSampling,
): MeshBox {
  const pos = deformVertices(mesh, bones);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < pos.length; i += 2) {
    const x = pos[i]!;
    const y = pos[i + 1]!;
    // NaN or infinite positions (a degenerate pose) draw nothing.
    if (!(Math.abs(x) < 1e7 && Math.abs(y) < 1e7)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const bx0 = Math.max(0, Math.floor(minX));
  const by0 = Math.max(0, Math.floor(minY));
  const bx1 = Math.min(width, Math.ceil(maxX) + 1);
  const by1 = Math.min(height, Math.ceil(maxY) + 1);
  if (!(bx1 > bx0 && by1 > by0))
    return { box: [0, 0, 0, 0], data: new Uint8Array(0), coverage: new Uint8Array(0) };
  const bw = bx1 - bx0;
  const acc = accumulator(bw * (by1 - by0) * 4);
  const { triangles, triTexture, source } = mesh;
  const nearest = sampling === 'nearest';
  const ntri = triTexture.length;
  const vx = [0, 0, 0];
  const vy = [0, 0, 0];
  const vi = [0, 0, 0];
  for (let t = 0; t < ntri; t++) {
    const ia = triangles[3 * t]!;
    const ib = triangles[3 * t + 1]!;
    const ic = triangles[3 * t + 2]!;
    // Target→source affine map of the triangle (barycentric interpolation of its source corners).
    const t0x = pos[2 * ia]!;
    const t0y = pos[2 * ia + 1]!;
    const e1x = pos[2 * ib]! - t0x;
    const e1y = pos[2 * ib + 1]! - t0y;
    const e2x = pos[2 * ic]! - t0x;
    const e2y = pos[2 * ic + 1]! - t0y;
    const det = e1x * e2y - e1y * e2x;
    if (!(Math.abs(det) > 1e-9)) continue; // collapsed (or NaN): covers no pixel centre
    const s0x = source[2 * ia]!;
    const s0y = source[2 * ia + 1]!;
    const f1x = source[2 * ib]! - s0x;
    const f1y = source[2 * ib + 1]! - s0y;
    const f2x = source[2 * ic]! - s0x;
    const f2y = source[2 * ic + 1]! - s0y;
    const ax = (f1x * e2y - f2x * e1y) / det;
    const bx = (f2x * e1x - f1x * e2x) / det;
    const ay = (f1y * e2y - f2y * e1y) / det;
    const by = (f2y * e1x - f1y * e2x) / det;
    const cx = s0x - ax * t0x - bx * t0y;
    const cy = s0y - ay * t0x - by * t0y;
    const tex = textures[triTexture[t]!]!;
    const tw = tex.width;
    const th = tex.height;
    const ox = tex.x0;
    const oy = tex.y0;
    const rgba = tex.rgba;
    // Corners sorted by (y, x): the same order from every triangle sharing an edge.
    vi[0] = ia;
    vi[1] = ib;
    vi[2] = ic;
    for (let i = 0; i < 3; i++) {
      vx[i] = pos[2 * vi[i]!]!;
      vy[i] = pos[2 * vi[i]! + 1]!;
    }
    for (let i = 1; i < 3; i++)
      for (
        let j = i;
        j > 0 && (vy[j]! < vy[j - 1]! || (vy[j] === vy[j - 1] && vx[j]! < vx[j - 1]!));
        j--
      ) {
        const x = vx[j]!;
        vx[j] = vx[j - 1]!;
        vx[j - 1] = x;
        const y = vy[j]!;
        vy[j] = vy[j - 1]!;
        vy[j - 1] = y;
      }
    const x0 = vx[0]!;
    const y0 = vy[0]!;
    const x1 = vx[1]!;
    const y1 = vy[1]!;
    const x2 = vx[2]!;
    const y2 = vy[2]!;
    const slope02 = (x2 - x0) / (y2 - y0);
    const slope01 = y1 > y0 ? (x1 - x0) / (y1 - y0) : 0;
    const slope12 = y2 > y1 ? (x2 - x1) / (y2 - y1) : 0;
    const rowStart = Math.max(by0, Math.ceil(y0));
    const rowEnd = Math.min(by1, Math.ceil(y2));
    for (let y = rowStart; y < rowEnd; y++) {
      const xa = x0 + (y - y0) * slope02;
      const xb = y < y1 ? x0 + (y - y0) * slope01 : x1 + (y - y1) * slope12;
      const xl = xa < xb ? xa : xb;
      const xr = xa < xb ? xb : xa;
      const colStart = Math.max(bx0, Math.ceil(xl));
      const colEnd = Math.min(bx1, Math.ceil(xr));
      if (colEnd <= colStart) continue;
      let sx = ax * colStart + bx * y + cx - ox;
      let sy = ay * colStart + by * y + cy - oy;
      let o = ((y - by0) * bw + colStart - bx0) * 4;
      for (let x = colStart; x < colEnd; x++, sx += ax, sy += ay, o += 4) {
        let r = 0;
        let g = 0;
        let b = 0;
        let a = 0;
        if (nearest) {
          const ix = Math.round(sx);
          const iy = Math.round(sy);
          if (ix < 0 || iy < 0 || ix >= tw || iy >= th) continue;
          const p = (iy * tw + ix) * 4;
          a = rgba[p + 3]!;
          if (a <= 0) continue;
          r = rgba[p]!;
          g = rgba[p + 1]!;
          b = rgba[p + 2]!;
        } else {
          const fx = Math.floor(sx);
          const fy = Math.floor(sy);
          if (fx < -1 || fy < -1 || fx >= tw || fy >= th) continue;
          const u = sx - fx;
          const v = sy - fy;
          // Taps outside the texture are transparent black (GridSample's zero padding).
          const inX0 = fx >= 0;
          const inX1 = fx + 1 < tw;
          const inY0 = fy >= 0;
          const inY1 = fy + 1 < th;
          const p = (fy * tw + fx) * 4;
          if (inY0) {
            if (inX0) {
              const k = (1 - u) * (1 - v);
              r += rgba[p]! * k;
              g += rgba[p + 1]! * k;
              b += rgba[p + 2]! * k;
              a += rgba[p + 3]! * k;
            }
            if (inX1) {
              const k = u * (1 - v);
              r += rgba[p + 4]! * k;
              g += rgba[p + 5]! * k;
              b += rgba[p + 6]! * k;
              a += rgba[p + 7]! * k;
            }
          }
          if (inY1) {
            const q = p + tw * 4;
            if (inX0) {
              const k = (1 - u) * v;
              r += rgba[q]! * k;
              g += rgba[q + 1]! * k;
              b += rgba[q + 2]! * k;
              a += rgba[q + 3]! * k;
            }
            if (inX1) {
              const k = u * v;
              r += rgba[q + 4]! * k;
              g += rgba[q + 5]! * k;
              b += rgba[q + 6]! * k;
              a += rgba[q + 7]! * k;
            }
          }
          if (a <= 0) continue;
        }
        const keep = 1 - a;
        acc[o] = r + acc[o]! * keep;
        acc[o + 1] = g + acc[o + 1]! * keep;
        acc[o + 2] = b + acc[o + 2]! * keep;
        acc[o + 3] = a + acc[o + 3]! * keep;
      }
    }
  }
  return { box: [bx0, by0, bx1, by1], ...overPlate(acc, plate, width, [bx0, by0, bx1, by1]) };
}

/**
 * The box's accumulated premultiplied pixels `acc` over the plate's pixels there; the accumulated
 * alpha is the coverage. (Its own function: V8 optimises a small pixel loop sooner.)
 */
function overPlate(
  acc: Float32Array,
  plate: Uint8Array,
  width: number,
  [bx0, by0, bx1, by1]: readonly number[],
): { data: Uint8Array; coverage: Uint8Array } {
  const bw = bx1! - bx0!;
  const data = new Uint8Array(bw * (by1! - by0!) * 3);
  const coverage = new Uint8Array(bw * (by1! - by0!));
  for (let y = by0!; y < by1!; y++) {
    const row = (y - by0!) * bw;
    data.set(plate.subarray((y * width + bx0!) * 3, (y * width + bx1!) * 3), row * 3);
    for (let x = 0, o = row * 4; x < bw; x++, o += 4) {
      const a = acc[o + 3]!;
      if (a <= 0) continue;
      const j = row + x;
      const keep = 1 - a;
      for (let c = 0; c < 3; c++) {
        const v = Math.round(acc[o + c]! + data[j * 3 + c]! * keep);
        data[j * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      coverage[j] = Math.min(255, Math.round(a * 255));
    }
  }
  return { data, coverage };
}
