/**
 * What the puppet shows where the character is not: the project's `generator.params.background`
 * ('plate' | 'transparent' | '#rrggbb', one name from project.json to the Render settings form),
 * turned into the plate colour and whether the frames carry an alpha plane.
 */
import type { PuppetParams } from '#shared/project/schema';

export type PuppetBackground = PuppetParams['background'];
export const PUPPET_BACKGROUND_MODES = ['plate', 'transparent'] as const;

/** The plate behind a cut-out picture (its transparent background) when no colour is chosen. */
export const CUT_OUT_PLATE: readonly [number, number, number] = [255, 255, 255];

/** '#rrggbb' → [r, g, b] (0–255); null for 'plate' / 'transparent' or anything else. */
export function backgroundColour(bg: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(bg);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : null;
}

/**
 * Whether frames of this background have transparent pixels: always for 'transparent' (only the
 * character is opaque), for 'plate' when the picture is a cut-out (its own background is
 * transparent), never for a colour. Formats without alpha composite over the plate as before.
 */
export function backgroundIsTransparent(bg: string, pictureHasAlpha: boolean): boolean {
  if (bg === 'transparent') return true;
  if (bg === 'plate') return pictureHasAlpha;
  return false;
}
