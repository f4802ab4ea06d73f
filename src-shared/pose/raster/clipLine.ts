/**
 * OpenCV's clipLine (Cohen–Sutherland style) on integer-valued doubles: clips the segment
 * (x1,y1)–(x2,y2) to [0, width-1] × [0, height-1]. Intermediate products are exact in doubles for
 * the coordinate ranges a pose canvas can have (|coordinate| < 2^26 in 16.16 fixed point).
 * Returns false when the segment lies entirely outside; otherwise writes the clipped end points.
 */
export function clipLine(width: number, height: number, seg: Float64Array): boolean {
  const right = width - 1;
  const bottom = height - 1;
  if (width <= 0 || height <= 0) return false;
  let x1 = seg[0]!;
  let y1 = seg[1]!;
  let x2 = seg[2]!;
  let y2 = seg[3]!;
  let c1 = code(x1, y1, right, bottom);
  let c2 = code(x2, y2, right, bottom);
  if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
    if (c1 & 12) {
      const a = c1 < 8 ? 0 : bottom;
      x1 += Math.trunc(((a - y1) * (x2 - x1)) / (y2 - y1));
      y1 = a;
      c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
    }
    if (c2 & 12) {
      const a = c2 < 8 ? 0 : bottom;
      x2 += Math.trunc(((a - y2) * (x2 - x1)) / (y2 - y1));
      y2 = a;
      c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
    }
    if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
      if (c1) {
        const a = c1 === 1 ? 0 : right;
        y1 += Math.trunc(((a - x1) * (y2 - y1)) / (x2 - x1));
        x1 = a;
        c1 = 0;
      }
      if (c2) {
        const a = c2 === 1 ? 0 : right;
        y2 += Math.trunc(((a - x2) * (y2 - y1)) / (x2 - x1));
        x2 = a;
        c2 = 0;
      }
    }
  }
  seg[0] = x1;
  seg[1] = y1;
  seg[2] = x2;
  seg[3] = y2;
  return (c1 | c2) === 0;
}

function code(x: number, y: number, right: number, bottom: number): number {
  return (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
}
