/**
 * A part-coded copy of a picture: every character pixel painted with its part's flat colour
 * (limbs saturated, body grey, unsure pixels a lighter grey), same alpha. Rendered with the same
 * rig, it shows which part every frame pixel came from, whatever the drawing's own colours are:
 * a limb colour where that limb no longer is, is a leftover.
 */
import { LIMB_GROUPS, type LimbGroup } from './limbs';
import { MARKER_TOLERANCE, matches, type Rgb } from './markers';

export const PART_CODE: Record<LimbGroup | 'body' | 'unsure', Rgb> = {
  rightArm: [255, 0, 0],
  leftArm: [0, 0, 255],
  rightLeg: [0, 200, 0],
  leftLeg: [255, 0, 255],
  body: [110, 110, 110],
  unsure: [170, 170, 170],
};

export function paintParts(rgba: Uint8Array, label: Uint8Array): void {
  for (let i = 0; i < label.length; i++) {
    if (rgba[i * 4 + 3]! === 0) continue;
    const l = label[i]!;
    const c =
      l === 0 ? PART_CODE.unsure : l === 1 ? PART_CODE.body : PART_CODE[LIMB_GROUPS[l - 2]!];
    rgba[i * 4] = c[0];
    rgba[i * 4 + 1] = c[1];
    rgba[i * 4 + 2] = c[2];
  }
}

/** Pixels of `region` drawn in limb `g`'s code colour in an RGB frame. */
export function limbColouredPixels(frame: Uint8Array, region: Uint8Array, g: LimbGroup): number {
  const c = PART_CODE[g];
  let n = 0;
  for (let i = 0; i < region.length; i++)
    if (region[i] && matches(frame, i, 3, c, MARKER_TOLERANCE)) n++;
  return n;
}
