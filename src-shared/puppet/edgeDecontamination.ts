/**
 * Edge pixels of an opaque picture with a binary mask: how much of each is character and what
 * colour that part has, so a moved part carries its own edge and not the picture's background.
 *
 * A binary mask cuts an anti-aliased edge in two: the mask's outer pixels are part sky, and the 1 px
 * ring the character layer takes around the mask (else the edge stays behind as a ghost outline)
 * is mostly sky. Drawn opaque, both travel with the part: a light outline along every moved limb,
 * most visible where a leg crosses the other leg or a sleeve crosses the shirt, and it shifts the
 * character's mean colour with the pose (issue 19: ΔE 1.06 at demo frame 103). On Sprout half the
 * mask's outer pixels are 40–90% character and the ring 0–60%.
 *
 * The fix is what compositing tools call colour decontamination (unmixing an edge pixel into
 * foreground and background): an edge pixel C is modelled as α·F + (1 − α)·B, with F the colour
 * of the character just inside (pixels at least 1 px from the mask's edge) and B the background
 * plate there (filled from beyond the ring). α is C projected on the segment B→F, raised to the
 * least α that keeps the foreground colour within 0..255; the layer stores premultiplied
 * C − (1 − α)·B with alpha α. At the reference pose the mesh rasterizer gives (C − (1 − α)·B) +
 * (1 − α)·B = C back exactly; moved, the edge keeps only its character part and fades into
 * whatever is behind it, like an alpha edge.
 */

/** Below this distance (levels, RGB) F and B are the same colour: the pixel is drawn opaque. */
export const UNMIX_MIN_CONTRAST = 8;

/**
 * Alpha (0..1) and premultiplied colour (0..255·α) of one edge pixel `c` with character colour
 * `f` and background plate `b` (RGB, 0..255). Writes [r, g, b, α] into `out`.
 */
export function unmixEdgePixel(
  c: ArrayLike<number>,
  f: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float32Array | number[],
): void {
  let dot = 0;
  let len2 = 0;
  for (let k = 0; k < 3; k++) {
    const fb = f[k]! - b[k]!;
    dot += (c[k]! - b[k]!) * fb;
    len2 += fb * fb;
  }
  let a = 1;
  if (len2 >= UNMIX_MIN_CONTRAST * UNMIX_MIN_CONTRAST) {
    a = Math.min(1, Math.max(0, dot / len2));
    // The least alpha whose foreground (C − (1 − α)·B)/α is a colour (0..255 per channel): a pixel
    // off the B→F line (an outline, a highlight) stays as opaque as it must to be given back.
    for (let k = 0; k < 3; k++) {
      const ck = c[k]!;
      const bk = b[k]!;
      if (ck < bk) a = Math.max(a, 1 - ck / bk);
      else if (ck > bk) a = Math.max(a, (ck - bk) / (255 - bk));
    }
  }
  for (let k = 0; k < 3; k++) out[k] = Math.min(255 * a, Math.max(0, c[k]! - (1 - a) * b[k]!));
  out[3] = a;
}

/**
 * Unmixes every edge pixel of the character layer in place: pixels of `layer` (the mask and its
 * ring) within 1 px of the mask's outside. `rgba` is the interleaved premultiplied layer, `picture`
 * the opaque picture (RGBA 0..255, alpha ignored), `plate` the background plate (RGB 0..255). F is
 * the mean of the interior pixels (mask pixels whose 8 neighbours are all mask) in the 5×5 window,
 * else of the mask pixels in the 3×3 window (a part thinner than 3 px has no interior).
 */
export function unmixEdge(
  rgba: Float32Array,
  picture: ArrayLike<number>,
  mask: Uint8Array,
  layer: Uint8Array,
  plate: ArrayLike<number>,
  width: number,
  height: number,
): void {
  const n = width * height;
  const inside = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
  const interior = new Uint8Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let all = inside(x, y);
      for (let dy = -1; dy <= 1 && all; dy++)
        for (let dx = -1; dx <= 1 && all; dx++) all = inside(x + dx, y + dy);
      interior[y * width + x] = all ? 1 : 0;
    }
  const f = [0, 0, 0];
  const c = [0, 0, 0];
  const b = [0, 0, 0];
  const out = [0, 0, 0, 0];
  /** f = mean picture colour over `from` pixels within r of (x, y); their count. */
  const mean = (x: number, y: number, r: number, from: Uint8Array): number => {
    f[0] = f[1] = f[2] = 0;
    let count = 0;
    for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++)
      for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
        const j = yy * width + xx;
        if (!from[j]) continue;
        f[0] += picture[j * 4]!;
        f[1] += picture[j * 4 + 1]!;
        f[2] += picture[j * 4 + 2]!;
        count++;
      }
    if (count > 0) for (let k = 0; k < 3; k++) f[k] = f[k]! / count;
    return count;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!layer[i] || interior[i]) continue;
      if (mean(x, y, 2, interior) === 0 && mean(x, y, 1, mask) === 0) continue;
      for (let k = 0; k < 3; k++) {
        c[k] = picture[i * 4 + k]!;
        b[k] = plate[i * 3 + k]!;
      }
      unmixEdgePixel(c, f, b, out);
      rgba.set(out, i * 4);
    }
}
