/** Convex hulls of a part's cells (`hiddenParts`: a part's extent in the picture). */
export type Pt = readonly [number, number];
const cross = (o: Pt, a: Pt, b: Pt) =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (counter-clockwise in y-down coordinates as computed), monotone chain. */
export function convexHull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Pt[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: Pt[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0)
      upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

export function insideHull(hull: Pt[], x: number, y: number): boolean {
  if (hull.length < 3) return false;
  for (let i = 0; i < hull.length; i++) {
    const o = hull[i]!;
    const a = hull[(i + 1) % hull.length]!;
    // cross(o, a, [x, y]), without an array per test (called per cell of every part).
    if ((a[0] - o[0]) * (y - o[1]) - (a[1] - o[1]) * (x - o[0]) < 0) return false;
  }
  return true;
}
