/**
 * How a drawing is framed on a square canvas for rendering and for every check on it, the way
 * AnimatedDrawings frames its characters in a 512×512 view: the box that holds the whole texture
 * and every joint of every pose to be rendered (hands may reach past the texture's edge) gets a
 * margin, is scaled uniformly to fit the canvas and centred. The texture is resized to whole
 * pixels and pasted at whole-pixel offsets, so the framed picture is one resize + one paste, and
 * poses are mapped by the same scale (pixel centres to pixel centres).
 */
import { STRIDE } from '../types';

export interface Framing {
  /** The square canvas side (pixels). */
  canvas: number;
  /** The texture's size once resized, and where its top-left pixel goes on the canvas. */
  width: number;
  height: number;
  left: number;
  top: number;
  /** Texture pixels → canvas pixels per axis (width / texture width, height / texture height). */
  scaleX: number;
  scaleY: number;
}

/** The margin on each side, as a fraction of the canvas. */
export const FRAME_MARGIN = 0.06;

export function frameCharacter(
  texture: { width: number; height: number },
  poses: readonly Float64Array[],
  canvas = 512,
  margin = FRAME_MARGIN,
): Framing {
  let x0 = 0;
  let y0 = 0;
  let x1 = texture.width;
  let y1 = texture.height;
  for (const p of poses)
    for (let i = 0; i < p.length; i += STRIDE) {
      if (!(p[i + 2]! > 0)) continue;
      const x = p[i]!;
      const y = p[i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y))
        throw new RangeError(`pose point ${i / STRIDE} is not finite`);
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  const scale = (canvas * (1 - 2 * margin)) / Math.max(x1 - x0, y1 - y0);
  const width = Math.max(1, Math.round(texture.width * scale));
  const height = Math.max(1, Math.round(texture.height * scale));
  const scaleX = width / texture.width;
  const scaleY = height / texture.height;
  return {
    canvas,
    width,
    height,
    left: Math.round(canvas / 2 - ((x0 + x1) / 2) * scaleX),
    top: Math.round(canvas / 2 - ((y0 + y1) / 2) * scaleY),
    scaleX,
    scaleY,
  };
}

/** A pose in texture pixels → the same pose on the framed canvas (missing points stay missing). */
export function framePose(pose: Float64Array, f: Framing): Float64Array {
  const out = new Float64Array(pose);
  for (let i = 0; i < out.length; i += STRIDE) {
    if (!(out[i + 2]! > 0)) continue;
    out[i] = (out[i]! + 0.5) * f.scaleX - 0.5 + f.left;
    out[i + 1] = (out[i + 1]! + 0.5) * f.scaleY - 0.5 + f.top;
  }
  return out;
}
