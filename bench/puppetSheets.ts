/**
 * Contact sheets of the puppet on real pictures (docs/puppet/*.png): AnimatedDrawings' char4 with
 * both arms raised / lowered 60°, a walk pose and the dab frames AnimatedDrawings' own anchor sheet
 * shows (0/60/120/169/240/338); the non-human drawings char5/char6; Sprout; the shared photos.
 * Run: npm run sheets:puppet  (writes docs/puppet/)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';
import { importPoses } from '#shared/pose/formats/index';
import {
  char4DabPoses,
  char4RestPose,
  frameDrawing,
  restPoseFromCfg,
  SHARED_FIXTURES,
} from '#test/fixtures/characters/realDrawing';
import { walkPose } from '#test/fixtures/characters/walkPose';
import { raisedArmsPose } from '#test/integration/engine/poses';

const OUT = join(import.meta.dirname, '..', 'docs', 'puppet');
const deg = (d: number) => (d * Math.PI) / 180;

/** Frames `tile` px high side by side, each at its own aspect (no letterbox bars). */
async function sheet(
  path: string,
  frames: { data: Uint8Array; width: number; height: number }[],
  tile: number,
) {
  const widths = frames.map((f) => Math.max(1, Math.round((f.width * tile) / f.height)));
  const tiles = await Promise.all(
    frames.map((f, i) =>
      sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } })
        .resize(widths[i]!, tile, { fit: 'fill' })
        .png()
        .toBuffer(),
    ),
  );
  const lefts = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  await sharp({
    create: {
      width: widths.reduce((a, b) => a + b, 0),
      height: tile,
      channels: 3,
      background: '#ffffff',
    },
  })
    .composite(tiles.map((input, i) => ({ input, left: lefts[i]!, top: 0 })))
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

/** The non-human rigs: rest, both "arms" turned 60° up, then down, and a walk. */
async function otherDrawings(dir: string) {
  for (const name of ['char5', 'char6']) {
    const d = await frameDrawing(name, dir, 512);
    const rest = d.frame(restPoseFromCfg(name));
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
      join(OUT, `${name}-arms-walk.png`),
      poses.map((p) => renderPuppetFrame(ch, p)),
      256,
    );
  }
}

/** Sprout (the sample project) and the shared photos: rest, arms ±60°, walk. */
async function sproutAndPhotos() {
  const job = await prepareProjectRender(
    join(import.meta.dirname, '..', 'assets', 'sample-project'),
    {},
    { pictureSize },
  );
  const cases: { name: string; picturePath: string; maskPath?: string; ref: Float64Array }[] = [
    {
      name: 'sprout',
      picturePath: job.picturePath,
      ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      ref: Float64Array.from(job.character.referencePose),
    },
  ];
  const photos = [
    ['spin', 'photos/spin_im1010.jpg', 'poses/spin_im1010_openpose.json', 153, 192],
    [
      'coco-skier',
      'photos/coco_val2017_000000000785.jpg',
      'photos/coco_val2017_000000000785_keypoints.json',
      640,
      425,
    ],
  ] as const;
  for (const [name, photo, pose, width, height] of photos) {
    const json: unknown = JSON.parse(readFileSync(join(SHARED_FIXTURES, pose), 'utf8'));
    const ref = Float64Array.from(
      importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
    );
    cases.push({ name, picturePath: join(SHARED_FIXTURES, photo), ref });
  }
  for (const c of cases) {
    const ch = await setupPuppetCharacter({
      picturePath: c.picturePath,
      referencePose: c.ref,
      ...(c.maskPath ? { maskPath: c.maskPath } : {}),
    });
    const poses = [
      c.ref,
      raisedArmsPose(c.ref, deg(60), deg(-60)),
      raisedArmsPose(c.ref, deg(-60), deg(60)),
      walkPose(c.ref),
    ];
    await sheet(
      join(OUT, `${c.name}-arms-walk.png`),
      poses.map((p) => renderPuppetFrame(ch, p)),
      320,
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'puppet-sheets-'));
try {
  await char4Sheets(dir);
  await otherDrawings(dir);
  await sproutAndPhotos();
} finally {
  await rm(dir, { recursive: true, force: true });
}
