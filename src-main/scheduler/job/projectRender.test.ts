import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint, STRIDE } from '#shared/pose/types';
import { pictureToCanvas, placePicture } from '#shared/geometry/pictureCanvas';
import type { TrackJson } from '#shared/project/index';
import { STOCK_JOINTS } from '#test/fixtures/characters/drawCharacter';
import { retargetToCharacter } from './projectRender';

/** The stock character squeezed onto a tall 256×512 picture (half as wide). */
const picture = { width: 256, height: 512 };
function characterPose(): Float64Array {
  const p = emptyPoints();
  for (const [i, [x, y]] of Object.entries(STOCK_JOINTS)) setPoint(p, Number(i), x / 2, y);
  return p;
}
const track = { width: 512, height: 512 } as TrackJson;

describe('retargetToCharacter: the track canvas maps onto the picture as the Editor shows it', () => {
  it('moves the character by what a joint moved on the canvas, in picture pixels', () => {
    const character = characterPose();
    // The Editor shows the picture placed on the canvas; the first key is the character there.
    const placement = placePicture(picture, track)!;
    const first = pictureToCanvas(character, placement);
    const map = retargetToCharacter(track, first, character, picture);
    const still = map(first);
    for (let i = 0; i < 18; i++)
      if (character[i * STRIDE + 2]! > 0) {
        expect(still[i * STRIDE]).toBeCloseTo(character[i * STRIDE]!, 6);
        expect(still[i * STRIDE + 1]).toBeCloseTo(character[i * STRIDE + 1]!, 6);
      }
    // The whole pose 40 canvas pixels to the right: 40 / scale picture pixels in the picture.
    const moved = new Float64Array(first);
    for (let i = 0; i < moved.length; i += STRIDE) moved[i] = moved[i]! + 40;
    const out = map(moved);
    const neck = Joint.neck * STRIDE;
    expect(out[neck]! - character[neck]!).toBeCloseTo(40 / placement.scale, 6);
    expect(out[neck + 1]).toBeCloseTo(character[neck + 1]!, 6);
  });
});
