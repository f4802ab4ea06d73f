/**
 * The character on a flat background (a scan, a drawing photographed on paper and cropped, a
 * cut-out saved without alpha): a flood fill from the picture's borders over the background's
 * colour. A pencil or crayon outline has gaps, though, and a plain flood fill runs through them:
 * on AnimatedDrawings' char6 (a pig in pink crayon) it filled the whole body through the gap where
 * the tail meets it and kept only the head and legs (IoU 0.37 against its mask), on char5 (a beetle
 * in faint blue pencil) it kept almost nothing (0.08). So the fill is made a second time with the
 * outline thickened by a few pixels (closing gaps up to twice that), and the thickening taken back
 * off the background afterwards (a morphological closing of the character); that result replaces
 * the plain one when it is clearly larger, i.e. when the plain fill leaked. A clean outline keeps
 * the plain fill, so a cut-out's narrow gaps (an arm a few pixels from the body) stay open. The
 * engine makes the closed fill only when the plain one lost a joint of the pose (the body's inside
 * leaked away with it), so a clean picture costs no more than before.
 */
import { borderPixels, countSet, dilate, reachedFromBorder, type Rgba } from './mask';
import { fillHoles } from './maskRefine';

/** Share of the border that must be near its median colour for the background to count as flat. */
const FLAT_BORDER = 0.8;

/** The closed fill replaces the plain one when it covers this much more (the plain one leaked). */
export const LEAK_GROWTH = 1.1;

/**
 * How far the outline is thickened to close its gaps (px): 4 up to 600 px per side, growing with
 * larger pictures. On AnimatedDrawings' crops (257–602 px) 1 px already closes the pig's body
 * (IoU 0.37 → 0.95) and 4 px the beetle's faint pencil down to its feet (0.08 → 0.87; at 3 px one
 * foot stays open).
 */
export function outlineGapRadius(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 150));
}

/**
 * The pixels not near the background's colour (the border's median, per channel), or undefined when
 * under `FLAT_BORDER` of the border is near it (a photo's busy background).
 */
export function inkPixels(img: Rgba, tolerance: number): Uint8Array | undefined {
  const { width: W, height: H, data } = img;
  const border = borderPixels(W, H);
  const median = (ch: number) => {
    const v = Uint8Array.from(border, (i) => data[i * 4 + ch]!).sort();
    return v[v.length >> 1]!;
  };
  const r = median(0);
  const g = median(1);
  const b = median(2);
  const t2 = tolerance * tolerance;
  const ink = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const dr = data[i * 4]! - r;
    const dg = data[i * 4 + 1]! - g;
    const db = data[i * 4 + 2]! - b;
    ink[i] = dr * dr + dg * dg + db * db > t2 ? 1 : 0;
  }
  let flat = 0;
  for (const i of border) flat += 1 - ink[i]!;
  return flat < border.length * FLAT_BORDER ? undefined : ink;
}

/** 1 − m, in place (a loop: `Uint8Array.from` with a callback took 3.4 s over a 4096² picture). */
function invert(m: Uint8Array): Uint8Array {
  for (let i = 0; i < m.length; i++) m[i] = 1 - m[i]!;
  return m;
}

/**
 * The character's mask on a flat background (1 = character), or undefined when the background is
 * not flat. `gapRadius`: how far the outline is thickened to close its gaps (default
 * `outlineGapRadius`; 0: the plain fill only). `mayHaveLeaked`: whether the plain fill is worth the
 * closed one's cost (the engine asks whether it lost a joint of the pose; 4096² costs ~1 s more).
 */
export function maskFromUniformBackground(
  img: Rgba,
  tolerance = 40,
  gapRadius = outlineGapRadius(img.width, img.height),
  mayHaveLeaked: (plain: Uint8Array) => boolean = () => true,
): Uint8Array | undefined {
  const { width: W, height: H } = img;
  const ink = inkPixels(img, tolerance);
  if (!ink) return undefined;
  // The ink and everything it encloses.
  const plain = fillHoles(ink, W, H);
  if (gapRadius <= 0 || !mayHaveLeaked(plain)) return plain;
  // The background's core (beyond the thickened outline), grown back by as much: a pixel of ink is
  // never within the radius of the core, so the outline itself always stays the character's.
  const core = reachedFromBorder(dilate(ink, W, H, gapRadius), W, H);
  const closed = invert(dilate(core, W, H, gapRadius));
  return countSet(closed) > LEAK_GROWTH * countSet(plain) ? closed : plain;
}
