/**
 * The puppet's skin: the mask's triangle mesh cut into parts. Each triangle belongs to the part
 * its centre's pixels belong to (`partLabels`). Where two parts meet, their triangles share the
 * border vertices only where the parts are stitched (`meshJoints`: near the joint that connects
 * them); elsewhere each part gets its own copy of the vertex, so parts that merely touched in the
 * picture separate cleanly. Every vertex copy carries skinning weights for at most two parts,
 * blended over a seam where a child meets its parent: the elbow bends smoothly, and because a
 * stitched vertex is one vertex the bend cannot crack. Each part's mesh is connected triangles
 * mapped by one continuous map, so it cannot tear: no holes, one source per pixel per part.
 *
 * Hidden parts (`hiddenParts`) add triangles to a part where a part in front of it covered it in
 * the picture (the torso under an arm), drawn from that part's filled texture.
 */
import { BONE_COUNT } from './bones';
import { type MeshJoints, stitched } from './meshJoints';
import { type PartLabels, labelCell } from './partLabels';
import type { MaskMesh } from './triangulateMask';

export interface PuppetMesh {
  /** Per vertex copy: its picture position [x, y, …]. */
  readonly source: Float64Array;
  /** Per vertex copy: the two parts skinning it and the first one's weight (second: 1 − w). */
  readonly part1: Uint8Array;
  readonly part2: Uint8Array;
  readonly weight1: Float32Array;
  /** Triangles (vertex-copy triples) in drawing order: back to front by part layer. */
  readonly triangles: Uint32Array;
  /** Per triangle: its part. */
  readonly triPart: Uint8Array;
  /** Per triangle: which texture it samples (0 = the picture, i > 0 = hidden texture i − 1). */
  readonly triTexture: Uint8Array;
}

/** Triangles of the hidden area of one part, and the texture they sample. */
export interface HiddenTriangles {
  readonly part: number;
  /** Indices (into the mask mesh's triangles) of the triangles the part gets under others. */
  readonly triangles: readonly number[];
}

export interface MeshParts {
  readonly mesh: MaskMesh;
  readonly labels: PartLabels;
  readonly joints: MeshJoints;
  /** Seam width (px) over which a child's weight fades into its parent's. */
  readonly seam: number;
  /** Drawing order of the parts (`layerOrder`): higher is nearer the viewer. */
  readonly layers: readonly number[];
  readonly hidden?: readonly HiddenTriangles[];
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Where `partAt` looks, in order: the cell itself, then its four neighbours. */
const LOOK_DX = [0, 1, -1, 0, 0];
const LOOK_DY = [0, 0, 0, 1, -1];

/** The part at a picture point: the nearest part of its cell, else of a neighbour, else the torso. */
function partAt(labels: PartLabels, x: number, y: number): number {
  for (let d = 0; d < 5; d++) {
    const c = labelCell(labels, x + LOOK_DX[d]! * labels.scale, y + LOOK_DY[d]! * labels.scale);
    if (c >= 0 && labels.first[c]! >= 0) return labels.first[c]!;
  }
  return 0;
}

/** Each triangle's part: the part at its centre. */
function triangleParts(mesh: MaskMesh, labels: PartLabels): Uint8Array {
  const pts = mesh.points;
  const ntri = mesh.triangles.length / 3;
  const triPartOf = new Uint8Array(ntri);
  for (let t = 0; t < ntri; t++) {
    const a = mesh.triangles[3 * t]!;
    const b = mesh.triangles[3 * t + 1]!;
    const c = mesh.triangles[3 * t + 2]!;
    triPartOf[t] = partAt(
      labels,
      (pts[2 * a]! + pts[2 * b]! + pts[2 * c]!) / 3,
      (pts[2 * a + 1]! + pts[2 * b + 1]! + pts[2 * c + 1]!) / 3,
    );
  }
  return triPartOf;
}

/** The parts whose triangles meet at each vertex (a bit mask per vertex). */
function partsAround(triangles: Uint32Array, triPartOf: Uint8Array, nv: number): Uint32Array {
  const around = new Uint32Array(nv);
  for (let t = 0; t < triPartOf.length; t++)
    for (let c = 0; c < 3; c++) around[triangles[3 * t + c]!]! |= 1 << triPartOf[t]!;
  return around;
}

/**
 * A vertex's parts grouped into stitched sets (union–find over at most BONE_COUNT parts): per
 * (vertex, part) the lowest part of its set, which names the set's one vertex copy.
 */
function stitchGroups(pts: Float64Array, around: Uint32Array, joints: MeshJoints): Uint8Array {
  const nv = around.length;
  const groupOf = new Uint8Array(nv * BONE_COUNT);
  const rep = new Int8Array(BONE_COUNT);
  for (let v = 0; v < nv; v++) {
    const bits = around[v]!;
    if ((bits & (bits - 1)) === 0) {
      for (let k = 0; k < BONE_COUNT; k++) groupOf[v * BONE_COUNT + k] = k;
      continue;
    }
    const x = pts[2 * v]!;
    const y = pts[2 * v + 1]!;
    for (let k = 0; k < BONE_COUNT; k++) rep[k] = k;
    for (let a = 0; a < BONE_COUNT; a++) {
      if (!(bits & (1 << a))) continue;
      for (let b = a + 1; b < BONE_COUNT; b++)
        if (bits & (1 << b) && stitched(joints, a, b, x, y)) {
          const ra = findSet(rep, a);
          const rb = findSet(rep, b);
          if (ra !== rb) rep[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
    for (let k = 0; k < BONE_COUNT; k++) groupOf[v * BONE_COUNT + k] = findSet(rep, k);
  }
  return groupOf;
}

/**
 * Whether part m may move a vertex copy at (x, y) whose own parts are `group` (bit mask): it is
 * one of them, or stitched to one of them there. (A function of its own, not a closure made per
 * vertex: under tsx every closure made is also named by a helper call, 70 ms a setup here.)
 */
function mayMove(joints: MeshJoints, group: number, m: number, x: number, y: number): boolean {
  if (m < 0) return false;
  if (group & (1 << m)) return true;
  for (let g = 0; g < BONE_COUNT; g++)
    if (group & (1 << g) && stitched(joints, g, m, x, y)) return true;
  return false;
}

function findSet(rep: Int8Array, k: number): number {
  while (rep[k] !== k) k = rep[k]!;
  return k;
}

/**
 * Each part's triangles as one connected block: a small island of one part's triangles inside
 * another (label noise where two parts meet) would travel with its own bone and leave a speck
 * behind. Islands (not the part's largest block) join the part they share the most edges with.
 */
function oneBlockPerPart(tris: Uint32Array, nv: number, part: Uint8Array): void {
  const n = part.length;
  // Edge → the triangles on it (two at most in a manifold mesh).
  const edges = new Map<number, number>();
  const next = new Int32Array(3 * n).fill(-1);
  for (let t = 0; t < n; t++)
    for (let c = 0; c < 3; c++) {
      const a = tris[3 * t + c]!;
      const b = tris[3 * t + ((c + 1) % 3)]!;
      const key = Math.min(a, b) * nv + Math.max(a, b);
      const other = edges.get(key);
      if (other === undefined) edges.set(key, t);
      else next[3 * t + c] = other;
    }
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < n; t++)
    for (let c = 0; c < 3; c++) {
      const o = next[3 * t + c]!;
      if (o >= 0) {
        neighbours[t]!.push(o);
        neighbours[o]!.push(t);
      }
    }
  for (let pass = 0; pass < 2; pass++) {
    const block = new Int32Array(n).fill(-1);
    const blocks: { part: number; tris: number[] }[] = [];
    for (let s = 0; s < n; s++) {
      if (block[s]! >= 0) continue;
      const id = blocks.length;
      const members = [s];
      block[s] = id;
      for (let i = 0; i < members.length; i++)
        for (const o of neighbours[members[i]!]!)
          if (block[o]! < 0 && part[o] === part[s]) {
            block[o] = id;
            members.push(o);
          }
      blocks.push({ part: part[s]!, tris: members });
    }
    const largest = new Map<number, number>();
    blocks.forEach((b, id) => {
      const best = largest.get(b.part);
      if (best === undefined || blocks[best]!.tris.length < b.tris.length) largest.set(b.part, id);
    });
    let changed = false;
    blocks.forEach((b, id) => {
      if (largest.get(b.part) === id) return;
      const votes = new Map<number, number>();
      for (const t of b.tris)
        for (const o of neighbours[t]!)
          if (block[o] !== id) votes.set(part[o]!, (votes.get(part[o]!) ?? 0) + 1);
      let to = -1;
      let most = 0;
      for (const [k, v] of votes)
        if (v > most) {
          most = v;
          to = k;
        }
      if (to < 0) return; // a detached piece of the mask: it keeps its part
      for (const t of b.tris) part[t] = to;
      changed = true;
    });
    if (!changed) break;
  }
}

export function buildPuppetMesh(p: MeshParts): PuppetMesh {
  const { mesh, labels, joints, seam, layers } = p;
  const pts = mesh.points;
  const nv = pts.length / 2;
  const ntri = mesh.triangles.length / 3;
  // The per-element loops live in small functions: this one runs once per setup and stays cold.
  const triPartOf = triangleParts(mesh, labels);
  oneBlockPerPart(mesh.triangles, nv, triPartOf);
  const around = partsAround(mesh.triangles, triPartOf, nv);
  const groupOf = stitchGroups(pts, around, joints);

  const copyIndex = new Map<number, number>();
  const source: number[] = [];
  const part1: number[] = [];
  const part2: number[] = [];
  const weight1: number[] = [];
  // Skinning weights of a vertex copy whose own parts are `group` (bit mask): the two nearest parts
  // at its position, if both may move it (in the group, or stitched to it here) and are a child
  // and its parent, blend over the seam; otherwise the nearest part allowed, else the group's own.
  const weightsFor = (x: number, y: number, group: number, own: number) => {
    const c = labelCell(labels, x, y);
    const n1 = c >= 0 ? labels.first[c]! : -1;
    const n2 = c >= 0 ? labels.second[c]! : -1;
    const ok1 = mayMove(joints, group, n1, x, y);
    if (ok1 && mayMove(joints, group, n2, x, y) && stitched(joints, n1, n2, x, y)) {
      const w = clamp01(0.5 + (0.5 * (labels.d2[c]! - labels.d1[c]!)) / seam);
      return [n1, n2, w] as const;
    }
    const only = ok1 ? n1 : mayMove(joints, group, n2, x, y) ? n2 : own;
    return [only, only, 1] as const;
  };
  const copyOf = (v: number, k: number, key: number, rigid: boolean): number => {
    const found = copyIndex.get(key);
    if (found !== undefined) return found;
    const x = pts[2 * v]!;
    const y = pts[2 * v + 1]!;
    let group = 0;
    const g = groupOf[v * BONE_COUNT + k]!;
    if (around[v]! & (1 << k))
      for (let m = 0; m < BONE_COUNT; m++)
        if (around[v]! & (1 << m) && groupOf[v * BONE_COUNT + m] === g) group |= 1 << m;
    if (group === 0) group = 1 << k;
    // A hidden area's own vertices move with their part alone (blending them with the part in front
    // would drag the fill along with the limb that left).
    const [p1, p2, w] = rigid ? ([k, k, 1] as const) : weightsFor(x, y, group, k);
    const i = source.length / 2;
    source.push(x, y);
    part1.push(p1);
    part2.push(p2);
    weight1.push(w);
    copyIndex.set(key, i);
    return i;
  };

  type Tri = { a: number; b: number; c: number; part: number; texture: number; order: number };
  const tris: Tri[] = [];
  const vertexCopy = (v: number, k: number, hidden: boolean) => {
    // A hidden triangle shares the part's own copy where the part's own triangles reach the vertex
    // (no crack between a part and its hidden extension), else gets a copy of its own.
    const ownHere = (around[v]! & (1 << k)) !== 0;
    if (ownHere || !hidden)
      return copyOf(v, k, (v * BONE_COUNT + groupOf[v * BONE_COUNT + k]!) * 2, false);
    return copyOf(v, k, (v * BONE_COUNT + k) * 2 + 1, true);
  };
  for (let t = 0; t < ntri; t++) {
    const k = triPartOf[t]!;
    tris.push({
      a: vertexCopy(mesh.triangles[3 * t]!, k, false),
      b: vertexCopy(mesh.triangles[3 * t + 1]!, k, false),
      c: vertexCopy(mesh.triangles[3 * t + 2]!, k, false),
      part: k,
      texture: 0,
      order: layers[k]! * 2 + 1,
    });
  }
  p.hidden?.forEach((h, i) => {
    for (const t of h.triangles)
      tris.push({
        a: vertexCopy(mesh.triangles[3 * t]!, h.part, true),
        b: vertexCopy(mesh.triangles[3 * t + 1]!, h.part, true),
        c: vertexCopy(mesh.triangles[3 * t + 2]!, h.part, true),
        part: h.part,
        texture: i + 1,
        // Under the part's own triangles of the same layer, over everything behind it.
        order: layers[h.part]! * 2 + 0.5,
      });
  });
  // Stable: equal layers keep bone order, then triangle order.
  tris.sort((u, v) => u.order - v.order || u.part - v.part);
  const triangles = new Uint32Array(tris.length * 3);
  const triPart = new Uint8Array(tris.length);
  const triTexture = new Uint8Array(tris.length);
  tris.forEach((t, i) => {
    triangles[3 * i] = t.a;
    triangles[3 * i + 1] = t.b;
    triangles[3 * i + 2] = t.c;
    triPart[i] = t.part;
    triTexture[i] = t.texture;
  });
  return {
    source: Float64Array.from(source),
    part1: Uint8Array.from(part1),
    part2: Uint8Array.from(part2),
    weight1: Float32Array.from(weight1),
    triangles,
    triPart,
    triTexture,
  };
}
