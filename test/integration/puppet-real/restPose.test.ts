/**
 * The reference pose gives the picture back, on the real drawings framed on 512² (as the bench and
 * the thresholds test frame them): no pixel inside the character shows the plate, and char4's and
 * char6's frames are the picture over the white plate exactly. On char5 five pixels of its outline
 * came out white (holes inside it) while the triangulation added vertices it already had (duplicates, which
 * changed the Delaunay triangles around them; src-shared/puppet/triangulateMask.ts).
 * Known limit, not asserted: on char5 15 more pixels come out 5–10 levels off, where a hidden
 * area's triangle reaches over a part drawn behind it (docs/puppet.md, "Limits").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { frame, framedPicture, loadDrawing, writeRgba } from '#test/helpers/puppetReal/fixtures';

describe('the reference pose on the real drawings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'puppet-rest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function restFrame(name: string) {
    const d = await loadDrawing(name);
    const { framing, reference } = frame(d, []);
    const rgba = await framedPicture(d, framing);
    const path = await writeRgba(join(dir, `${name}.png`), rgba, 512, 512);
    const character = await setupPuppetCharacter({ picturePath: path, referencePose: reference });
    return { rgba, out: renderPuppetFrame(character, reference).data };
  }
  const at = (i: number) => `(${i % 512}, ${Math.floor(i / 512)})`;
  /** The pixel and its 8 neighbours are the character's (the mesh's promise; its outline runs
   * through the border pixels' centres). */
  const interior = (rgba: Uint8Array, i: number) => {
    const x = i % 512;
    const y = Math.floor(i / 512);
    if (x < 1 || y < 1 || x > 510 || y > 510) return false;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (!rgba[((y + dy) * 512 + x + dx) * 4 + 3]) return false;
    return true;
  };

  for (const name of ['char4', 'char5', 'char6'])
    it(`${name} at 512²: no pixel inside the character shows the plate (no hole)`, async () => {
      const { rgba, out } = await restFrame(name);
      const holes: string[] = [];
      for (let i = 0; i < 512 * 512; i++) {
        const white = out[i * 3] === 255 && out[i * 3 + 1] === 255 && out[i * 3 + 2] === 255;
        const pictureWhite =
          rgba[i * 4] === 255 && rgba[i * 4 + 1] === 255 && rgba[i * 4 + 2] === 255;
        if (white && !pictureWhite && interior(rgba, i)) holes.push(at(i));
      }
      expect(holes).toEqual([]);
    }, 60_000);

  for (const name of ['char4', 'char6'])
    it(`${name} at 512²: every pixel is the picture's (over the white plate)`, async () => {
      const { rgba, out } = await restFrame(name);
      const wrong: string[] = [];
      for (let i = 0; i < 512 * 512; i++) {
        // The framed picture's alpha is 0 or 255 (a clean cut-out): white where it is 0.
        const want = rgba[i * 4 + 3] ? rgba.subarray(i * 4, i * 4 + 3) : [255, 255, 255];
        for (let c = 0; c < 3; c++)
          if (out[i * 3 + c] !== want[c]) {
            wrong.push(at(i));
            break;
          }
      }
      expect(wrong).toEqual([]);
    }, 60_000);
});
