/**
 * docs/images/stick-width.png: the conditioning image of the real pose fixtures
 * (../shared/fixtures/poses) drawn with each `stickWidth` at 512² and 1024² — classic (the SD1.5
 * OpenPose annotator: stick width 4 at any size) vs high-resolution (xinsir's rule: ×4 at 1024).
 * Run: npx tsx scripts/stickWidthSheet.ts
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { createRgbImage } from '#shared/image/rgbImage';
import { renderConditioning, stickScaleFor, STICK_WIDTHS } from '#shared/pose/conditioning';
import { fitCanvas } from '#shared/render/fitFrame';
import { readPoses } from '#main/services/poseFiles/poseFiles';

const root = resolve(import.meta.dirname, '..');
const fixtures = resolve(root, '../shared/fixtures/poses');
const files = ['spin_im1010_openpose.json', 'openpose_editor_pose_hand_fixed.json'];
const sizes = [512, 1024];
const GAP = 8;
const tileW = sizes.reduce((n, s) => n + s, 0) * STICK_WIDTHS.length + GAP * 3;
const rowH = Math.max(...sizes);
const sheet = createRgbImage(tileW, files.length * rowH + GAP * (files.length - 1));
sheet.data.fill(96);
for (const [row, file] of files.entries()) {
  const { frames } = await readPoses(resolve(fixtures, file));
  const frame = frames[0]!;
  let x = 0;
  for (const size of sizes)
    for (const stickWidth of STICK_WIDTHS) {
      const canvas = { width: size, height: size };
      const people = frame.people.map((p) => ({
        ...p,
        points: fitCanvas(p.points, frame, canvas),
      }));
      const img = renderConditioning(
        { ...canvas, people },
        { stickScale: stickScaleFor(stickWidth) },
      );
      for (let y = 0; y < size; y++)
        sheet.data.set(
          img.data.subarray(y * size * 3, (y + 1) * size * 3),
          ((row * (rowH + GAP) + y) * tileW + x) * 3,
        );
      console.log(`${file} ${size}² ${stickWidth}: x ${x}`);
      x += size + GAP;
    }
}
mkdirSync(resolve(root, 'docs/images'), { recursive: true });
await sharp(Buffer.from(sheet.data), { raw: { width: tileW, height: sheet.height, channels: 3 } })
  .resize({ width: 1800 })
  .png()
  .toFile(resolve(root, 'docs/images/stick-width.png'));
