/**
 * A drawing photographed on paper, uncropped (AnimatedDrawings' garlic, test/fixtures/masks): what
 * the person-segmentation model makes of it and the mask the engine chooses (the drawn lines),
 * with the joints each leaves outside, and the puppet made of it. No ground truth exists for it:
 * docs/puppet/garlic_drawing_mask.png (photo | the model's mask | the chosen mask over the photo) and
 * garlic_drawing_walk.png (rest, arms raised and lowered 60°, walk) are to look at; so is
 * char4_photo_drawing_walk.png, the same for AnimatedDrawings' whole photo of char4.
 */
import { resolve } from 'node:path';
import sharp from 'sharp';
import { chooseCharacterMask, segmentPerson } from '#main/engine/mask/characterMask';
import { personSegmenter } from '#main/engine/mask/personSegmenter';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { armsRaised, walkCycle } from '#shared/pose/motions/limbMotions';
import { jointsOutsideMask } from '#shared/puppet/characterWarnings';
import { keepCharacterComponents } from '#shared/puppet/mask';
import { ROOT, firstPerson } from './photoCases';

const DIR = resolve(ROOT, 'test/fixtures/masks');
const SHEET = resolve(ROOT, 'docs/puppet/garlic_drawing_mask.png');
const WALK = resolve(ROOT, 'docs/puppet/garlic_drawing_walk.png');
const WALK_C4 = resolve(ROOT, 'docs/puppet/char4_photo_drawing_walk.png');

export async function drawingSheet(): Promise<void> {
  const pic = await loadPicture(resolve(DIR, 'garlic_photo.jpg'));
  const { width: W, height: H } = pic;
  const ref = firstPerson(resolve(DIR, 'garlic_pose.json'), W, H);
  const model = keepCharacterComponents(
    (await segmentPerson(pic, ref, await personSegmenter())).mask,
    W,
    H,
    ref,
  );
  const t0 = performance.now();
  const chosen = await chooseCharacterMask(pic, ref);
  const ms = performance.now() - t0;
  const out = (m: Uint8Array) => jointsOutsideMask(m, W, H, ref).length;
  console.log(
    `photographed drawing (garlic ${W}×${H}): the model's mask leaves ${out(model)} joints outside; ` +
      `chosen ${chosen.source} in ${ms.toFixed(0)} ms, ${out(chosen.mask)} joints outside`,
  );
  const tiles = [
    (i: number, k: number) => pic.data[i * 4 + k]!,
    (i: number) => (model[i] ? 255 : 0),
    (i: number, k: number) =>
      chosen.mask[i] ? pic.data[i * 4 + k]! : Math.round(pic.data[i * 4 + k]! * 0.3),
  ];
  const rgb = Buffer.alloc(W * tiles.length * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      tiles.forEach((t, n) => {
        for (let k = 0; k < 3; k++)
          rgb[(y * W * tiles.length + n * W + x) * 3 + k] = t(y * W + x, k);
      });
  await sharp(rgb, { raw: { width: W * tiles.length, height: H, channels: 3 } })
    .resize({ width: 900 })
    .png()
    .toFile(SHEET);
  console.log(`photographed drawing sheet: ${SHEET} (photo | the model's mask | the chosen mask)`);

  // And the puppet made of it, and of AnimatedDrawings' whole photo of char4 (its mask there is the
  // drawn lines too).
  await walkStrip(resolve(DIR, 'garlic_photo.jpg'), ref, WALK);
  const c4 = resolve(DIR, 'ad_char4_photo.jpg');
  const c4pic = await loadPicture(c4);
  await walkStrip(
    c4,
    firstPerson(resolve(DIR, 'ad_char4_pose.json'), c4pic.width, c4pic.height),
    WALK_C4,
  );
}

/** The puppet of `photo` at rest, arms raised and lowered 60°, three walk phases, side by side. */
async function walkStrip(photo: string, ref: Float64Array, file: string): Promise<void> {
  const c = await setupPuppetCharacter({ picturePath: photo, referencePose: ref });
  const { width: W, height: H } = c.rig;
  const poses = [
    ref,
    armsRaised(ref, 60),
    armsRaised(ref, -60),
    ...[0.125, 0.25, 0.625].map((p) => walkCycle(ref, p)),
  ];
  const frames = poses.map((p) => renderPuppetFrame(c, p));
  const n = frames.length;
  const strip = Buffer.alloc(W * n * H * 3);
  frames.forEach((f, k) => {
    for (let y = 0; y < H; y++)
      strip.set(f.data.subarray(y * W * 3, (y + 1) * W * 3), (y * W * n + k * W) * 3);
  });
  await sharp(strip, { raw: { width: W * n, height: H, channels: 3 } })
    .resize({ width: 1500 })
    .png()
    .toFile(file);
  console.log(
    `photographed drawing animated (mask: ${c.maskSource}): ${file} (rest, arms ±60°, walk)`,
  );
}
