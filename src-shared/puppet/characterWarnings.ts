/**
 * What the puppet's character setup tells the user about the character it made: each warning a
 * plain value with a code (for the studio to act on: open the mask view, highlight joints), a
 * message in the user's words and the fix. The engine returns them with the setup; the render job
 * puts them in its log and events, the CLI prints them.
 */
import { POINT_NAMES } from '#shared/pose/skeleton';

export const CHARACTER_WARNING_CODES = [
  /** No mask, alpha, flat background or model: the mask is capsules around the bones. */
  'rough-mask',
  /** The person-segmentation model could not run; a rougher mask was used. */
  'segmentation-failed',
  /** Body joints of the pose lie outside the mask: those parts have no pixels to move. */
  'joints-outside-mask',
  /** The character covers very few pixels: it renders blocky. */
  'tiny-character',
  /** The character covers (nearly) the whole picture: nothing to fill behind it. */
  'fills-picture',
  /** The picture was larger than the engine's limit and was scaled down. */
  'picture-downscaled',
  /** The user's mask had another size than the picture and was scaled to it. */
  'mask-resized',
] as const;
export type CharacterWarningCode = (typeof CHARACTER_WARNING_CODES)[number];

export interface CharacterWarning {
  code: CharacterWarningCode;
  /** What is wrong, in the user's words. */
  message: string;
  /** What the user can do about it. */
  fix: string;
  /** The pose points concerned (indices into the 136), when the warning is about joints. */
  joints?: number[];
}

/** One line for logs and the CLI: "message (fix)". */
export function warningLine(w: CharacterWarning): string {
  return `${w.message} — ${w.fix}`;
}

/** The body joints checked against the mask (COCO-18: the parts that move). */
const CHECKED_JOINTS = 18;
/** A joint a few pixels off the silhouette (drawn on the outline) still counts as inside. */
const NEAR = 3;

/** Body joints of the pose with no mask pixel within NEAR px (indices of the 136 points). */
export function jointsOutsideMask(
  mask: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
): number[] {
  const out: number[] = [];
  for (let k = 0; k < CHECKED_JOINTS; k++) {
    if (!(pose[k * 3 + 2]! > 0)) continue;
    const x = Math.round(pose[k * 3]!);
    const y = Math.round(pose[k * 3 + 1]!);
    let found = false;
    for (let dy = -NEAR; dy <= NEAR && !found; dy++)
      for (let dx = -NEAR; dx <= NEAR && !found; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height && mask[yy * width + xx]) found = true;
      }
    if (!found) out.push(k);
  }
  return out;
}

const jointName = (k: number) => (POINT_NAMES[k] ?? `point ${k}`).replace(/_/g, ' ');

/** The joints-outside-mask warning, or none when every joint is inside. */
export function missingJointsWarning(joints: number[]): CharacterWarning[] {
  if (joints.length === 0) return [];
  const names = joints.map(jointName);
  return [
    {
      code: 'joints-outside-mask',
      message: `the mask misses the ${names.join(', ')}: ${joints.length === 1 ? 'that part has' : 'those parts have'} no pixels to move`,
      fix: 'add them to the mask (paint or import a mask), or move the joints onto the character',
      joints,
    },
  ];
}

/** Below this many mask pixels a character renders blocky. */
export const TINY_CHARACTER_PIXELS = 64 * 64;

export function sizeWarnings(
  maskPixels: number,
  width: number,
  height: number,
): CharacterWarning[] {
  const out: CharacterWarning[] = [];
  if (maskPixels < TINY_CHARACTER_PIXELS)
    out.push({
      code: 'tiny-character',
      message: `the character covers only ${maskPixels} pixels: it will look blocky when it moves`,
      fix: 'use a larger picture of the character, or crop the picture closer around it',
    });
  if (maskPixels > width * height * 0.97)
    out.push({
      code: 'fills-picture',
      message: 'the character fills the whole picture: no background is visible to fill behind it',
      fix: 'give the character a mask (white = character) or a picture with a transparent background',
    });
  return out;
}
