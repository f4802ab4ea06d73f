import type { Character, DetectPoseResult } from '#shared/api/index';
import type { CharacterMaskView } from '#shared/api/characterMask';

/**
 * The Character panel's words and picture box: what a pose detection found, the picture's size
 * and joints, and the CSS aspect ratio of the box the picture and skeleton share.
 */

const positive = (n: number) => Number.isFinite(n) && n > 0;

/** "Detected one person in 1.2 s: 22 of 24 body joints found. Drag any joint that is off, …" */
export function detectedText(r: Pick<DetectPoseResult, 'people' | 'bodyJoints' | 'ms'>): string {
  const who = r.people === 1 ? 'one person' : `${r.people} people (the first is used)`;
  const took = Number.isFinite(r.ms) && r.ms >= 0 ? ` in ${(r.ms / 1000).toFixed(1)} s` : '';
  return (
    `Detected ${who}${took}: ${r.bodyJoints} of 24 body joints found. ` +
    'Drag any joint that is off, or undo to get the previous pose back.'
  );
}

/** CSS `aspect-ratio` of the picture box: the picture's own, or square when it has no size. */
export function pictureAspect(width: number, height: number): string {
  return positive(width) && positive(height) ? `${width} / ${height}` : '1 / 1';
}

/** "512×768 px, 18 joints" (joints found: confidence above 0). */
export function characterFacts(
  c: Pick<Character, 'pictureWidth' | 'pictureHeight' | 'joints'>,
): string {
  const found = c.joints.filter((j) => j.confidence > 0).length;
  return `${c.pictureWidth}×${c.pictureHeight} px, ${found} joint${found === 1 ? '' : 's'}`;
}

/** Where the puppet's mask came from, in the user's words. */
export function maskSourceText(source: CharacterMaskView['source']): string {
  switch (source) {
    case 'user':
      return 'Your mask file.';
    case 'alpha':
      return "The picture's transparency.";
    case 'flood-fill':
      return 'The plain background around the character, filled from the edges.';
    case 'segmentation':
      return 'Found by the person-segmentation model (photos).';
    case 'drawing':
      return 'The lines drawn on the paper, closed and filled (a photographed drawing).';
    case 'pose':
      return 'Drawn roughly around the skeleton: no better mask was found.';
  }
}

/** Picture formats with no transparency at all: their mask can never come from alpha. */
const OPAQUE_FORMATS = /\.(jpe?g|jfif)$/i;

/**
 * The mask card's line before a check: what the puppet will do without a mask file, true for
 * this picture (a JPEG has no transparency, so saying "its transparency is the mask" misleads).
 */
export function automaticMaskText(hasMaskFile: boolean, picture = ''): string {
  if (hasMaskFile) return 'Your mask file is used.';
  return OPAQUE_FORMATS.test(picture)
    ? 'A JPEG has no transparency: the puppet finds the person with its segmentation model, or the lines of a photographed drawing, or cuts out a plain background. Check the mask, then paint over what it got wrong.'
    : 'No mask file: the puppet uses the transparency, a plain background, or finds the person in a photo.';
}
