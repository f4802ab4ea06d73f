/**
 * `pose-studio extract` end to end with the built-in extractor: a real photo → ControlNet pose; a
 * short video with sound → OpenPose folder + editable track retargeted onto the sample
 * character + the sound kept beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { TrackSchema } from '#shared/project/index';
import { Joint } from '#shared/pose/skeleton';
import { runCliCaptured } from '#test/helpers/cliHarness';

const PHOTOS = '/work/shared/fixtures/photos';
const SPROUT = join(process.cwd(), 'assets/characters/sprout.pose.json');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pose-studio extract', () => {
  it('a picture → one ControlNet pose with the whole body', async () => {
    const out = join(dir, 'spin.json');
    const r = await runCliCaptured(['extract', join(PHOTOS, 'spin_im1010.jpg'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 frame\(s\), 1 person id\(s\).*153×192/);
    const pose = JSON.parse(await readFile(out, 'utf8')) as {
      canvas_width: number;
      people: { pose_keypoints_2d: number[] }[];
    };
    expect(pose.canvas_width).toBe(153);
    const body = pose.people[0]!.pose_keypoints_2d;
    expect(body.filter((_, i) => i % 3 === 2 && body[i]! > 0)).toHaveLength(18);
  }, 60_000);

  it('a large picture is posed downscaled and the points come back on its own canvas', async () => {
    const big = join(dir, 'skier-big.png');
    await sharp(join(PHOTOS, 'coco_val2017_000000000785.jpg')).resize(2560).png().toFile(big);
    const out = join(dir, 'big.json');
    const r = await runCliCaptured(['extract', big, '-o', out, '--max-side', '640']);
    expect(r.code).toBe(0);
    const pose = JSON.parse(await readFile(out, 'utf8')) as {
      canvas_width: number;
      canvas_height: number;
      people: { pose_keypoints_2d: number[] }[];
    };
    expect([pose.canvas_width, pose.canvas_height]).toEqual([2560, 1700]);
    // COCO ground truth nose (367, 81) × 4, within 0.1 torso (~95 px × 4).
    const [x, y] = pose.people[0]!.pose_keypoints_2d;
    expect(Math.hypot(x! - 367 * 4, y! - 81 * 4)).toBeLessThan(38);
  }, 60_000);

  it('a video with sound → per-frame folder, retargeted keyframe track, audio kept', async () => {
    const ffmpeg = resolveFfmpeg();
    const video = join(dir, 'skier.mp4');
    execFileSync(ffmpeg.path, [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      join(PHOTOS, 'coco_val2017_000000000785.jpg'),
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1',
      '-t',
      '1',
      '-r',
      '6',
      '-vf',
      "scale=640:424,zoompan=z='1+0.01*on':d=1:s=640x424:fps=6",
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      video,
    ]);
    const out = join(dir, 'frames');
    const track = join(dir, 'track.json');
    const r = await runCliCaptured([
      'extract',
      video,
      '-o',
      out,
      '--track',
      track,
      '--retarget',
      SPROUT,
      '--smooth',
      '1,0.5,1',
    ]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect((await readdir(out)).filter((f) => f.endsWith('_keypoints.json'))).toHaveLength(6);
    const parsed = TrackSchema.parse(JSON.parse(await readFile(track, 'utf8')));
    expect(parsed.fps).toBe(6);
    expect([parsed.width, parsed.height]).toEqual([512, 512]);
    const keys = parsed.people[0]!.keyframes;
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.length).toBeLessThanOrEqual(6);
    // Retargeted: the first keyframe's neck sits on Sprout's neck (256, 152).
    expect(keys[0]!.points[Joint.neck * 3]).toBeCloseTo(256, 0);
    expect(keys[0]!.points[Joint.neck * 3 + 1]).toBeCloseTo(152, 0);
    expect(r.out).toMatch(/kept audio: .*frames\.audio\.mka/);
    const streams = execFileSync(
      resolveFfprobe(ffmpeg),
      [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_type,codec_name',
        '-of',
        'csv=p=0',
        join(dir, 'frames.audio.mka'),
      ],
      { encoding: 'utf8' },
    );
    expect(streams.trim()).toBe('aac,audio');
  }, 90_000);
});
