/**
 * The puppet on real photos made by other people (see /work/shared/fixtures/README.md for
 * credits): the SPIN baseball player with real CMU OpenPose BODY_25 output, and the COCO skier with
 * its ground-truth keypoints. Busy backgrounds, no alpha: the engine must cope and say how.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { importPoses } from '#shared/pose/formats/index';
import { Joint } from '#shared/pose/skeleton';
import { psnr } from './metrics';
import { rotate } from './poses';

const FIXTURES = '/work/shared/fixtures';
let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start();
});
afterAll(() => engine?.close());

function firstPerson(file: string, width: number, height: number): Float64Array {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return new Float64Array(
    importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
  );
}

async function photoRgb(path: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path).removeAlpha().raw().toBuffer());
}

const cases = [
  {
    name: 'SPIN baseball player (OpenPose BODY_25, 153×192)',
    photo: `${FIXTURES}/photos/spin_im1010.jpg`,
    pose: `${FIXTURES}/poses/spin_im1010_openpose.json`,
    size: [153, 192] as const,
  },
  {
    name: 'COCO skier (COCO-17 ground truth, 640×425)',
    photo: `${FIXTURES}/photos/coco_val2017_000000000785.jpg`,
    pose: `${FIXTURES}/photos/coco_val2017_000000000785_keypoints.json`,
    size: [640, 425] as const,
  },
];

describe('real photos', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const ref = firstPerson(c.pose, c.size[0], c.size[1]);
      const info = await engine.setupCharacter({ picturePath: c.photo, referencePose: ref });
      expect([info.width, info.height]).toEqual([...c.size]);
      expect(info.setupMs).toBeGreaterThan(0);
      const target = new Float64Array(ref);
      rotate(target, Joint.lShoulder, [Joint.lElbow, Joint.lWrist], -0.5);
      rotate(target, Joint.rShoulder, [Joint.rElbow, Joint.rWrist], 0.4);
      const [still, moved] = await engine.renderPuppetFrames({
        characterId: info.characterId,
        poses: [ref, target],
      });
      const photo = await photoRgb(c.photo);
      // The reference pose gives the photo back; the target pose changes it.
      expect(psnr(still!.data, photo)).toBeGreaterThanOrEqual(40);
      const movedPsnr = psnr(moved!.data, photo);
      expect(movedPsnr).toBeLessThan(40);
      expect(movedPsnr).toBeGreaterThan(15); // changed around the arms, not scrambled
    });
  }
});
