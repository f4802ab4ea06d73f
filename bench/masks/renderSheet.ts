/**
 * What the mask changes in rendered frames of the fixture photos: for each photo, the puppet with
 * the mask the engine used before person segmentation (the flood fill where the border floods,
 * else the pose's capsules, given as a user mask) and with today's automatic mask, at the reference
 * pose and three walk-like poses (arms swung, legs stepped). Written to
 * docs/puppet/masks_photos_render.png, one row per photo and mask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { EngineClient } from '#main/engine/client/engineClient';
import { floodFill } from '#main/engine/mask/characterMask';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { Joint } from '#shared/pose/skeleton';
import { keepCharacterComponents, maskFromPose } from '#shared/puppet/mask';
import { rotate } from '../../test/integration/engine/poses';
import { PHOTO_CASES, ROOT, firstPerson } from './photoCases';

const TILE = 200;

/** Three walk-like poses: arms swung, legs stepped (feet points turned with the legs). */
export function walkPoses(ref: Float64Array): Float64Array[] {
  return [0.5, -0.5, 0.9].map((a) => {
    const p = new Float64Array(ref);
    rotate(p, Joint.rShoulder, [Joint.rElbow, Joint.rWrist], a);
    rotate(p, Joint.lShoulder, [Joint.lElbow, Joint.lWrist], -a);
    rotate(p, Joint.rHip, [Joint.rKnee, Joint.rAnkle, 21, 22, 23], -a * 0.5);
    rotate(p, Joint.lHip, [Joint.lKnee, Joint.lAnkle, 18, 19, 20], a * 0.5);
    return p;
  });
}

export async function renderSheet(out = resolve(ROOT, 'docs/puppet/masks_photos_render.png')) {
  const dir = mkdtempSync(join(tmpdir(), 'ps-mask-sheet-'));
  const engine = await EngineClient.start({ threads: 1 });
  const rows: Buffer[][] = [];
  try {
    for (const c of PHOTO_CASES) {
      const pic = await loadPicture(c.photo);
      const { width: W, height: H } = pic;
      const ref = firstPerson(c.pose, W, H);
      const old = keepCharacterComponents(
        floodFill(pic, ref) ?? maskFromPose(W, H, ref),
        W,
        H,
        ref,
      );
      const oldFile = join(dir, 'old.png');
      await sharp(Buffer.from(old.map((v) => v * 255)), {
        raw: { width: W, height: H, channels: 1 },
      })
        .png()
        .toFile(oldFile);
      for (const maskPath of [oldFile, undefined]) {
        const info = await engine.setupCharacter({
          picturePath: c.photo,
          referencePose: ref,
          ...(maskPath ? { maskPath } : {}),
        });
        const frames = await engine.renderPuppetFrames({
          characterId: info.characterId,
          poses: [ref, ...walkPoses(ref)],
        });
        rows.push(
          await Promise.all(
            frames.map((f) =>
              sharp(Buffer.from(f.data), { raw: { width: f.width, height: f.height, channels: 3 } })
                .resize(TILE, TILE, { fit: 'contain', background: '#202020' })
                .png()
                .toBuffer(),
            ),
          ),
        );
        console.log(
          `${c.name}: ${maskPath ? 'before (flood fill or pose capsules)' : `now (${info.maskSource})`}`,
        );
        await engine.releaseCharacter(info.characterId);
      }
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await writeTileSheet(rows, TILE, out);
  console.log(`render sheet: ${out} (rows: skier before, skier now, player before, player now)`);
}

/** Rows of 4 square PNG tiles of `tile` pixels, on dark grey, written to `out`. */
export async function writeTileSheet(rows: Buffer[][], tile: number, out: string): Promise<void> {
  await sharp({
    create: { width: tile * 4, height: tile * rows.length, channels: 3, background: '#202020' },
  })
    .composite(
      rows.flatMap((r, y) => r.map((input, x) => ({ input, left: x * tile, top: y * tile }))),
    )
    .png()
    .toFile(out);
}
