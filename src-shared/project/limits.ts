/**
 * The bounds every value that enters Pose Studio is held to — project files, pose files, API
 * requests and CLI flags all check against these, so a value that would fail late (an allocation
 * of gigabytes, sharp's pixel limit, an Infinity written as `null`) is refused at load with the
 * field named. One declaration each; `docs/project-format.md` explains the choices.
 */

/** Highest frame number anywhere in a project (≈ 115 hours at 24 fps). */
export const MAX_FRAME = 10_000_000;

/**
 * Largest side of a pose canvas (a track's width/height, a pose file's canvas, `--size`). The
 * conditioning image of a pose is drawn at its canvas size and read back by sharp, whose default
 * pixel limit (268,402,689 = 16383²) refuses 16384²; 8192² (67 MP, 201 MB of RGB) is well inside
 * it and more than any pose tool writes.
 */
export const MAX_CANVAS_SIDE = 8192;

/** Largest side of the rendered video (8K; VP9 and ProRes accept it, libx264 encodes it). */
export const MAX_OUTPUT_SIDE = 8192;
/**
 * Most pixels per output frame: 8192 × 4320 (DCI 8K, H.264 level 6.2's largest frame). A frame is
 * W·H·3 bytes of RGB held by the segment runner, the ordering barrier and ffmpeg's pipe at once
 * (≈ 106 MB each here); a square 8192² would be twice that.
 */
export const MAX_OUTPUT_PIXELS = 8192 * 4320;

/**
 * Largest side the puppet renders a character picture at: larger pictures are downscaled when they
 * are loaded (4096² is 16.8 MP, ~60 MB of float RGBA per character in the engine).
 */
export const MAX_PUPPET_PICTURE_SIDE = 4096;

/** Frames per second of tracks and outputs: at least 1 (encoders' time bases), at most 240. */
export const MIN_FPS = 1;
export const MAX_FPS = 240;

/**
 * Frames per segment. A segment is rendered, cached and resumed as a unit, and a worker holds its
 * frames in memory (a 10,000-frame segment at 512² asked for 2.45 GB at once); 240 frames is 10 s
 * at 24 fps, ten times the default.
 */
export const MAX_SEGMENT_LENGTH = 240;
/** Overlap (frames shared by neighbouring windows) is less than the segment length, so ≤ 239. */
export const MAX_OVERLAP = MAX_SEGMENT_LENGTH - 1;

/**
 * Keyframes per person lane: a dense track of 50,000 frames is 35 minutes at 24 fps, and about
 * 165 MB of JSON. Checked before the keyframes themselves, so a file of millions is refused
 * without being walked (500,000 bad keyframes overflowed the stack inside validation).
 */
export const MAX_KEYFRAMES = 50_000;
/** People per track, tracks per project, characters per project. */
export const MAX_PEOPLE = 64;
export const MAX_TRACKS = 256;
export const MAX_CHARACTERS = 256;
/** Extra reference frames per character ("a few frames of a short clip"). */
export const MAX_REFERENCE_FRAMES = 32;

/**
 * How far a point may lie outside its canvas, in canvas sides: x in [−4·W, 5·W], y in
 * [−4·H, 5·H]. Points a little off the picture are normal (a hand out of frame); a point four
 * canvases away is garbage, and keeping coordinates this small keeps every product of a
 * coordinate and a scale finite (1e308 × 2 is Infinity, which JSON writes as `null`).
 */
export const COORDINATE_MARGIN = 4;

/** Lowest and highest coordinate allowed on a canvas side of `side` pixels. */
export function coordinateRange(side: number): { min: number; max: number } {
  return { min: -COORDINATE_MARGIN * side, max: (1 + COORDINATE_MARGIN) * side };
}

/** Whether `v` is a usable coordinate on a side of `side` pixels. */
export function coordinateInRange(v: number, side: number): boolean {
  const { min, max } = coordinateRange(side);
  return v >= min && v <= max;
}

/** Confidences are finite and at most this (COCO visibility flags are 0–2, scores 0–1). */
export const MAX_CONFIDENCE = 1000;

/** Names shown to people (projects, characters, tracks, people). */
export const MAX_NAME_LENGTH = 200;
/** Ids (letters, digits, - and _). */
export const MAX_ID_LENGTH = 128;
/** Prompts of the diffusion generator, and model pack names (paths: 1024, see `paths.ts`). */
export const MAX_PROMPT_LENGTH = 4000;

/**
 * Largest side of a character's picture as the project's readers open it (sharp with a
 * 16384² pixel limit); bounds the coordinates of reference poses, whose picture the schema
 * does not see.
 */
export const MAX_PICTURE_SIDE = 16384;

/**
 * The first bad number of a flat `[x, y, c, …]` list on a `width × height` canvas, if any
 * (`Infinity` sides: only finiteness and confidence are checked). `canvasText` names the canvas.
 */
export function pointsProblem(
  points: ArrayLike<unknown>,
  width: number,
  height: number,
  canvasText = `the ${width}×${height} canvas`,
): { index: number; message: string } | undefined {
  const xs = coordinateRange(width);
  const ys = coordinateRange(height);
  for (let i = 0; i < points.length; i++) {
    const v = points[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { index: i, message: 'must be a finite number' };
    const axis = i % 3;
    if (axis === 2) {
      if (Math.abs(v) > MAX_CONFIDENCE)
        return {
          index: i,
          message: `confidence ${v} must be between -${MAX_CONFIDENCE} and ${MAX_CONFIDENCE}`,
        };
      continue;
    }
    const r = axis === 0 ? xs : ys;
    if (v < r.min || v > r.max)
      return {
        index: i,
        message: `${axis === 0 ? 'x' : 'y'} = ${v} is too far outside ${canvasText} (must be from ${r.min} to ${r.max})`,
      };
  }
  return undefined;
}
