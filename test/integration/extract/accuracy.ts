/**
 * Accuracy measurement for extractors, used by the accuracy test: real photos with known poses,
 * animated by the puppet generator (the driving poses are the ground truth of every frame),
 * encoded to H.264, extracted back, scored with PCK@0.1 of the torso size per body part.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RgbImage } from '#shared/image/rgbImage';
import { PckTally } from '#shared/extract/pck';
import { Joint } from '#shared/pose/skeleton';
import type { EngineClient } from '#main/engine/client/engineClient';
import { resolveFfmpeg } from '#main/media/ffmpegBinary';
import { readPoses } from '#main/services/poseFiles/poseFiles';
import { wavePose } from '#test/integration/engine/poses';

const FIXTURES = '/work/shared/fixtures';

export interface GroundTruthPhoto {
  name: string;
  picture: string;
  pose: Float64Array;
}

/** The two real photos with hand-made / OpenPose ground truth (see fixtures/README.md for credits). */
export async function groundTruthPhotos(): Promise<GroundTruthPhoto[]> {
  const coco = await readPoses(join(FIXTURES, 'photos/coco_val2017_000000000785_keypoints.json'));
  const spin = await readPoses(join(FIXTURES, 'poses/spin_im1010_openpose.json'), {
    picture: join(FIXTURES, 'photos/spin_im1010.jpg'),
  });
  return [
    {
      name: 'coco 785 (skier, COCO GT)',
      picture: join(FIXTURES, 'photos/coco_val2017_000000000785.jpg'),
      pose: coco.frames[0]!.people[0]!.points,
    },
    {
      name: 'spin im1010 (LSP, OpenPose)',
      picture: join(FIXTURES, 'photos/spin_im1010.jpg'),
      pose: spin.frames[0]!.people[0]!.points,
    },
  ];
}

/** Body parts PCK is reported for (our COCO-18 indices). */
export const BODY_PARTS: Record<string, number[]> = {
  head: [Joint.nose, Joint.rEye, Joint.lEye, Joint.rEar, Joint.lEar],
  shoulders: [Joint.rShoulder, Joint.lShoulder],
  elbows: [Joint.rElbow, Joint.lElbow],
  wrists: [Joint.rWrist, Joint.lWrist],
  hips: [Joint.rHip, Joint.lHip],
  knees: [Joint.rKnee, Joint.lKnee],
  ankles: [Joint.rAnkle, Joint.lAnkle],
};
export const ALL_BODY = Object.values(BODY_PARTS).flat();

export function pckByPart(tally: PckTally): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, idx] of Object.entries(BODY_PARTS)) out[name] = tally.over(idx);
  out.all = tally.over(ALL_BODY);
  return out;
}

/** Driving poses: a wave-and-step that goes out and back over `n` frames. */
export function drivingPoses(ref: Float64Array, n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => wavePose(ref, Math.sin((Math.PI * i) / (n - 1))));
}

export async function renderPuppetVideo(
  engine: EngineClient,
  photo: GroundTruthPhoto,
  poses: Float64Array[],
  out: string,
  fps = 12,
): Promise<void> {
  const { characterId } = await engine.setupCharacter({
    picturePath: photo.picture,
    referencePose: photo.pose,
  });
  const frames = await engine.renderPuppetFrames({ characterId, poses });
  await engine.releaseCharacter(characterId);
  await encode(frames, out, fps);
}

/** Encodes RGB frames to H.264 (even size: odd edges are padded by one pixel). */
export async function encode(frames: RgbImage[], out: string, fps: number): Promise<void> {
  const { width, height } = frames[0]!;
  const child = spawn(
    resolveFfmpeg().path,
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
      '-i',
      '-',
      '-vf',
      'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-c:v',
      'libx264',
      '-crf',
      '18',
      '-pix_fmt',
      'yuv420p',
      out,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg: ${err}`)))),
  );
  for (const f of frames)
    if (!child.stdin.write(f.data)) await new Promise((r) => child.stdin.once('drain', r));
  child.stdin.end();
  await done;
}

export function formatPck(name: string, pck: Record<string, number>): string {
  return `${name.padEnd(44)} ${Object.entries(pck)
    .map(([k, v]) => `${k} ${Number.isNaN(v) ? '  – ' : (v * 100).toFixed(0).padStart(3)}%`)
    .join('  ')}`;
}
