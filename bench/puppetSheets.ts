/**
 * Contact sheets of the puppet on real pictures (docs/puppet/*.png): AnimatedDrawings' char4 with
 * both arms raised / lowered 60°, a walk pose and the dab frames AnimatedDrawings' own anchor sheet
 * shows (0/60/120/169/240/338); the non-human drawings char5/char6; Sprout; the shared photos.
 * Run: npm run sheets:puppet  (writes docs/puppet/)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { Joint } from '#shared/pose/skeleton';
import { char4DabPoses, char4RestPose, frameDrawing } from '#test/fixtures/characters/realDrawing';
import { raisedArmsPose, rotate } from '#test/integration/engine/poses';

const OUT = join(import.meta.dirname, '..', 'docs', 'puppet');
const deg = (d: number) => (d * Math.PI) / 180;

/** A walk-cycle pose: legs apart with the back knee bent, arms swinging against them. */
export function walkPose(ref: Float64Array): Float64Array {
  const p = new Float64Array(ref);
  rotate(p, Joint.rHip, [Joint.rKnee, Joint.rAnkle], deg(25));
  rotate(p, Joint.lHip, [Joint.lKnee, Joint.lAnkle], deg(-20));
  rotate(p, Joint.lKnee, [Joint.lAnkle], deg(30));
  rotate(p, Joint.rShoulder, [Joint.rElbow, Joint.rWrist], deg(-25));
  rotate(p, Joint.lShoulder, [Joint.lElbow, Joint.lWrist], deg(-20));
  rotate(p, Joint.rElbow, [Joint.rWrist], deg(-20));
  return p;
}

async function sheet(
  path: string,
  frames: { data: Uint8Array; width: number; height: number }[],
  tile: number,
) {
  const tiles = await Promise.all(
    frames.map((f) =>
      sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } })
        .resize(tile, tile, { fit: 'contain', background: '#ffffff' })
        .png()
        .toBuffer(),
    ),
  );
  await sharp({
    create: { width: tile * frames.length, height: tile, channels: 3, background: '#ffffff' },
  })
    .composite(tiles.map((input, i) => ({ input, left: i * tile, top: 0 })))
    .png()
    .toFile(path);
}

async function char4Sheets(dir: string) {
  const d = await frameDrawing('char4', dir, 512);
  const rest = d.frame(char4RestPose());
  const ch = await setupPuppetCharacter({
    picturePath: d.picturePath,
    maskPath: d.maskPath,
    referencePose: rest,
  });
  const poses = [
    rest,
    raisedArmsPose(rest, deg(60), deg(-60)),
    raisedArmsPose(rest, deg(-60), deg(60)),
    walkPose(rest),
  ];
  await sheet(
    join(OUT, 'char4-arms-walk.png'),
    poses.map((p) => renderPuppetFrame(ch, p)),
    256,
  );
  const dab = char4DabPoses();
  await sheet(
    join(OUT, 'char4-dab-f0-60-120-169-240-338.png'),
    [0, 60, 120, 169, 240, 338].map((i) => renderPuppetFrame(ch, d.frame(dab[i]!))),
    256,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'puppet-sheets-'));
try {
  await char4Sheets(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
