/**
 * Contact sheet of transparent-background puppet frames on real photos, drawn over a checkerboard
 * so the alpha plane can be seen: docs/puppet/transparent-contact-sheet.png.
 * Run: npx tsx bench/plate/transparentSheet.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { EngineClient } from '#main/engine/client/engineClient';
import { importPoses } from '#shared/pose/formats/index';
import { Joint } from '#shared/pose/skeleton';
import { rotate } from '#test/integration/engine/poses';

const ROOT = resolve(import.meta.dirname, '../..');
const REAL = resolve(ROOT, '../shared/fixtures');
const cases = [
  ['photos/spin_im1010.jpg', 'poses/spin_im1010_openpose.json', 153, 192],
  [
    'photos/coco_val2017_000000000785.jpg',
    'photos/coco_val2017_000000000785_keypoints.json',
    640,
    425,
  ],
] as const;

const engine = await EngineClient.start();
const tiles: { input: Buffer; width: number; height: number }[] = [];
try {
  for (const [photo, poseFile, width, height] of cases) {
    const json: unknown = JSON.parse(readFileSync(join(REAL, poseFile), 'utf8'));
    const ref = new Float64Array(
      importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
    );
    const info = await engine.setupCharacter({
      picturePath: join(REAL, photo),
      referencePose: ref,
      background: 'transparent',
    });
    const moved = new Float64Array(ref);
    rotate(moved, Joint.lShoulder, [Joint.lElbow, Joint.lWrist], -0.8);
    rotate(moved, Joint.rShoulder, [Joint.rElbow, Joint.rWrist], 0.8);
    const frames = await engine.renderPuppetFrames({
      characterId: info.characterId,
      poses: [ref, moved],
    });
    for (const f of frames) {
      const n = f.width * f.height;
      const rgba = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) {
        rgba[i * 4] = f.data[i * 3]!;
        rgba[i * 4 + 1] = f.data[i * 3 + 1]!;
        rgba[i * 4 + 2] = f.data[i * 3 + 2]!;
        rgba[i * 4 + 3] = f.alpha ? f.alpha[i]! : 255;
      }
      // A checkerboard behind: grey squares where the frame is transparent.
      const board = Buffer.alloc(n * 3);
      for (let i = 0; i < n; i++) {
        const x = i % f.width;
        const y = (i - x) / f.width;
        board.fill(((x >> 3) + (y >> 3)) % 2 ? 200 : 120, i * 3, i * 3 + 3);
      }
      // Composited first, scaled after (sharp would scale the base before compositing).
      const full = await sharp(board, { raw: { width: f.width, height: f.height, channels: 3 } })
        .composite([
          { input: rgba, raw: { width: f.width, height: f.height, channels: 4 }, blend: 'over' },
        ])
        .png()
        .toBuffer();
      const over = await sharp(full)
        .resize({ height: 240 })
        .png()
        .toBuffer({ resolveWithObject: true });
      tiles.push({ input: over.data, width: over.info.width, height: over.info.height });
    }
  }
} finally {
  await engine.close();
}
const width = tiles.reduce((s, t) => s + t.width + 4, 0);
let left = 0;
const out = join(ROOT, 'docs/puppet/transparent-contact-sheet.png');
await sharp({ create: { width, height: 240, channels: 3, background: '#282828' } })
  .composite(
    tiles.map((t) => {
      const at = { input: t.input, top: 0, left };
      left += t.width + 4;
      return at;
    }),
  )
  .png()
  .toFile(out);
console.log(`contact sheet: ${out}`);
