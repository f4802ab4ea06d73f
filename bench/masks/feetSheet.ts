/**
 * The feet contact sheet (docs/puppet/masks_feet.png): for each fixture photo, the puppet walking
 * with its ground-truth mask cut at the ankles (a model that missed the shoes: they stay in the
 * plate and are left on the ground when the legs move) and with that mask's feet completed from
 * the pose (`completeFeet`, what the engine does to the model's mask). Rest pose and three walk
 * poses per row; both masks are given as user masks so nothing else differs.
 * Run: npx tsx bench/masks/feetSheet.ts (bench:masks runs it too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { completeFeet } from '#shared/puppet/footCompletion';
import { cutAtAnkles } from './cutFeet';
import { PHOTO_CASES, ROOT, firstPerson } from './photoCases';
import { walkPoses, writeTileSheet } from './renderSheet';

const TILE = 240;

export async function feetSheet(out = resolve(ROOT, 'docs/puppet/masks_feet.png')) {
  const dir = mkdtempSync(join(tmpdir(), 'ps-feet-sheet-'));
  const rows: Buffer[][] = [];
  try {
    for (const c of PHOTO_CASES) {
      const pic = await loadPicture(c.photo);
      const { width: W, height: H } = pic;
      const ref = firstPerson(c.pose, W, H);
      const cut = cutAtAnkles(await c.truth(W, H), W, H, ref);
      const done = completeFeet(cut, pic.data, W, H, ref);
      console.log(`${c.name}: ${done.added} foot pixels added to the mask cut at the ankles`);
      for (const [name, mask] of [
        ['cut', cut],
        ['completed', done.mask],
      ] as const) {
        const maskPath = join(dir, `${name}.png`);
        await sharp(Buffer.from(mask.map((v) => v * 255)), {
          raw: { width: W, height: H, channels: 1 },
        })
          .png()
          .toFile(maskPath);
        const ch = await setupPuppetCharacter({
          picturePath: c.photo,
          referencePose: ref,
          maskPath,
        });
        rows.push(
          await Promise.all(
            [ref, ...walkPoses(ref)].map((p) => {
              const f = renderPuppetFrame(ch, p);
              return sharp(Buffer.from(f.data), {
                raw: { width: f.width, height: f.height, channels: 3 },
              })
                .resize(TILE, TILE, { fit: 'contain', background: '#202020' })
                .png()
                .toBuffer();
            }),
          ),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await writeTileSheet(rows, TILE, out);
  console.log(`feet contact sheet: ${out} (per photo: mask cut at the ankles | feet completed)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await feetSheet();
