/**
 * Which of the cells a part's hidden area covers (`hiddenParts`) it keeps: those touching the
 * part, and beside it only about half the front part's width from where they join, unless the
 * front part lies across it. Split from hiddenParts so each file keeps one job.
 */

/** The eight directions a walk from a cell can take (four axes, both ways). */
const DIRECTIONS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
] as const;

type Box = readonly [number, number, number, number];

/**
 * Per cell of the box, a bit per direction: walking that way through the character (any part but
 * k) reaches k's own cells before the background. One scan per direction, each cell taking its
 * neighbour's answer; k's cells all lie in the box, so a walk leaving it never reaches them.
 */
function reachesPart(first: Int8Array, w: number, k: number, box: Box): Uint8Array {
  const [i0, i1, j0, j1] = box;
  const bw = i1 - i0 + 1;
  const bits = new Uint8Array(bw * (j1 - j0 + 1));
  DIRECTIONS.forEach(([di, dj], d) => {
    const bit = 1 << d;
    // Visit a cell after the neighbour it walks to.
    for (let jj = 0; jj <= j1 - j0; jj++) {
      const j = dj > 0 ? j1 - jj : j0 + jj;
      for (let ii = 0; ii <= i1 - i0; ii++) {
        const i = di > 0 ? i1 - ii : i0 + ii;
        const u = i + di;
        const v = j + dj;
        if (u < i0 || v < j0 || u > i1 || v > j1) continue;
        const m = first[v * w + u]!;
        if (m === k || (m >= 0 && bits[(v - j0) * bw + u - i0]! & bit))
          bits[(j - j0) * bw + i - i0]! |= bit;
      }
    }
  });
  return bits;
}

/**
 * Keeps the 8-connected pieces of `cells` that touch a cell of part `k` (4-neighbours), and in them
 * the cells within `near` cells of that contact or lying across part k: walking both ways along an
 * axis through the character reaches k before the background. An arm over the torso has torso on
 * both sides; an arm sticking out beside it does not, even inside the torso's extent (a six-armed
 * creature's torso, which takes the arms the pose has no place for, spans the mapped arm), and is
 * hidden only where it joins it. `depth`: scratch, w × h. Returns how many cells are left.
 */
export function keepTouching(
  cells: Uint8Array,
  first: Int8Array,
  w: number,
  k: number,
  box: Box,
  near: number,
  depth: Int32Array,
): number {
  const [i0, i1, j0, j1] = box;
  const queue: number[] = [];
  const isPart = (i: number, j: number) =>
    i >= i0 && j >= j0 && i <= i1 && j <= j1 && first[j * w + i] === k;
  // Hidden cells lie only in the part's box.
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      depth[c] = -1;
      if (!cells[c]) continue;
      if (isPart(i - 1, j) || isPart(i + 1, j) || isPart(i, j - 1) || isPart(i, j + 1)) {
        depth[c] = 0;
        queue.push(c);
      }
    }
  let far = false;
  for (let q = 0; q < queue.length; q++) {
    const c = queue[q]!;
    const i = c % w;
    const j = (c - i) / w;
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        const u = i + di;
        const v = j + dj;
        if (u < i0 || v < j0 || u > i1 || v > j1) continue;
        const n = v * w + u;
        if (cells[n] && depth[n]! < 0) {
          depth[n] = depth[c]! + 1;
          if (depth[n]! > near) far = true;
          queue.push(n);
        }
      }
  }
  const across = far ? reachesPart(first, w, k, box) : undefined;
  const bw = i1 - i0 + 1;
  let count = 0;
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      const d = depth[c]!;
      let keep = d >= 0 && d <= near;
      if (d > near && across) {
        const bits = across[(j - j0) * bw + i - i0]!;
        // Both ways along one axis (bits 2a and 2a + 1).
        keep = (bits & (bits >> 1) & 0b01010101) !== 0;
      }
      cells[c] = keep ? 1 : 0;
      if (keep) count++;
    }
  return count;
}
