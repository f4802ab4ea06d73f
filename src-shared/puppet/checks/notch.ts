/**
 * A notch at a shoulder: background cut into the character's outline between the neck and the
 * arm. Measured as the concavity between them near the shoulder: the background pixels within
 * `radius` of the shoulder, in the sector between the upper arm and the neck (seen from the
 * shoulder), that lie inside the convex hull of the character's pixels there.
 * A smooth shoulder top (convex) gives 0; a wedge between the neck and the arm gives its area. (A
 * picture whose arm is raised has a gap between arm and neck of its own: compare with the
 * reference pose's value.)
 */

import { convexHull, insideHull } from '../convexHull';

type P = readonly [number, number];

const cross = (o: P, a: P, b: P) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * `mask`: the character's pixels (W×H, 1 = character); `shoulder`, `elbow`, `neck`: the joints in
 * the frame. Returns the notch's area in pixels.
 */
export function shoulderNotchPixels(
  mask: Uint8Array,
  width: number,
  height: number,
  shoulder: P,
  elbow: P,
  neck: P,
  radius: number,
): number {
  const x0 = Math.max(0, Math.floor(shoulder[0] - radius));
  const x1 = Math.min(width - 1, Math.ceil(shoulder[0] + radius));
  const y0 = Math.max(0, Math.floor(shoulder[1] - radius));
  const y1 = Math.min(height - 1, Math.ceil(shoulder[1] + radius));
  const inDisc = (x: number, y: number) =>
    (x - shoulder[0]) ** 2 + (y - shoulder[1]) ** 2 <= radius * radius;
  // The sector between the neck and the upper arm: the neck's side of the arm's line and the arm's
  // side of the line from the shoulder to the neck (not the armpit, not beyond the neck).
  const side = Math.sign(cross(shoulder, elbow, neck)) || 1;
  const between = (x: number, y: number) =>
    cross(shoulder, elbow, [x, y]) * side > 0 && cross(shoulder, neck, [x, y]) * side < 0;
  const pts: P[] = [];
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) if (mask[y * width + x] && inDisc(x, y)) pts.push([x, y]);
  const h = convexHull(pts);
  let n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (!mask[y * width + x] && inDisc(x, y) && between(x, y) && insideHull(h, x, y)) n++;
  return n;
}
