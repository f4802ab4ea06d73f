/**
 * Issue 19: a moved part must not carry a ring of the picture's background along its silhouette.
 * An opaque picture with a binary mask (here the flood fill) cuts the anti-aliased edge in two;
 * drawn opaque, the edge and the 1 px ring around the mask were part sky and travelled with every
 * limb. The character is drawn over a black plate instead of its sky so that any sky the layer
 * carries shows, at the reference pose and with the arm raised by its bone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupPuppetCharacter, type PuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { stockPose, writeCharacter } from '#test/fixtures/characters/drawCharacter';
import { psnr } from './metrics';
import { wavePose } from './poses';

const SKY = [200, 225, 255] as const;

let dir: string;
let character: PuppetCharacter;
let picture: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-halo-'));
  const file = join(dir, 'sky.png');
  await writeCharacter(file, { background: SKY });
  character = await setupPuppetCharacter({ picturePath: file, referencePose: stockPose() });
  picture = new Uint8Array(await sharp(file).removeAlpha().raw().toBuffer());
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Pixels of a frame drawn over black that look like the sky (RGB distance < 60). */
function skyPixels(frame: Uint8Array): number {
  let n = 0;
  for (let o = 0; o < frame.length; o += 3) {
    const d =
      (frame[o]! - SKY[0]) ** 2 + (frame[o + 1]! - SKY[1]) ** 2 + (frame[o + 2]! - SKY[2]) ** 2;
    if (d < 60 * 60) n++;
  }
  return n;
}

describe('puppet edge on an opaque picture (binary mask)', () => {
  it('carries no background-coloured ring along a part moved by its bone', async () => {
    expect(character.maskSource).toBe('flood-fill');
    const overBlack = { ...character, plate: new Uint8Array(character.plate.length) };
    const still = await renderPuppetFrame(overBlack, stockPose());
    const waving = await renderPuppetFrame(overBlack, wavePose(stockPose(), 1));
    // Before the fix: a sky-coloured outline around the whole character (hundreds of pixels).
    expect(skyPixels(still.data)).toBe(0);
    expect(skyPixels(waving.data)).toBe(0);
  });

  it('still gives the picture back at the reference pose over its own plate', async () => {
    const still = await renderPuppetFrame(character, stockPose());
    expect(psnr(still.data, picture)).toBeGreaterThanOrEqual(45);
  });
});
