/**
 * Short driving videos made from the real fixture photos (../shared/fixtures/photos), for the
 * video-import tests: two real people side by side with a slow camera pan and a tone as the
 * sound, one person alone, and the hostile kinds (not a video, truncated, no frames, huge size).
 * Made with the bundled ffmpeg into a temp folder; nothing is committed.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '#main/media/ffmpegBinary';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const FIXTURES = resolve(ROOT, '../shared/fixtures');
export const SKIER = join(FIXTURES, 'photos', 'coco_val2017_000000000785.jpg');
export const PLAYER = join(FIXTURES, 'photos', 'spin_im1010.jpg');

const run = promisify(execFile);

async function ffmpeg(args: string[]): Promise<void> {
  await run(resolveFfmpeg().path, ['-v', 'error', '-y', ...args]);
}

/**
 * Both photos side by side (skier left, baseball player right) at 340 px high, panned 24 px over
 * `seconds`, `fps` frames a second, with a 440 Hz tone: two people to choose from, and sound.
 */
export async function twoPeopleVideo(
  dir: string,
  o: { seconds?: number; fps?: number; name?: string } = {},
): Promise<string> {
  const seconds = o.seconds ?? 1;
  const fps = o.fps ?? 6;
  const out = join(dir, o.name ?? 'two-people.mp4');
  await ffmpeg([
    '-loop', '1', '-i', SKIER, '-loop', '1', '-i', PLAYER,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-filter_complex',
    `[0]scale=-2:340[a];[1]scale=-2:340[b];[a][b]hstack=inputs=2,crop=iw-24:ih:'min(24,t*${24 / seconds})':0,format=yuv420p[v]`,
    '-map', '[v]', '-map', '2:a', '-t', String(seconds), '-r', String(fps),
    '-c:v', 'libx264', '-crf', '20', '-c:a', 'aac', '-b:a', '64k', '-shortest', out,
  ]); // prettier-ignore
  return out;
}

/** The baseball player alone, `frames` frames at `fps`, no sound. */
export async function onePersonVideo(dir: string, frames: number, fps = 6): Promise<string> {
  const out = join(dir, 'one-person.mp4');
  await ffmpeg([
    '-loop', '1', '-i', PLAYER, '-frames:v', String(frames), '-r', String(fps),
    '-vf', 'scale=154:192,format=yuv420p', '-c:v', 'libx264', '-crf', '18', out,
  ]); // prettier-ignore
  return out;
}

/** The first third of a real video: its header promises frames its body no longer has. */
export function truncatedVideo(source: string, dir: string): string {
  const out = join(dir, 'truncated.mp4');
  const bytes = readFileSync(source);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length / 3)));
  return out;
}

/** A Matroska file with a sound stream and no video frame at all. */
export async function noFrameVideo(dir: string): Promise<string> {
  const out = join(dir, 'no-frames.mkv');
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'pcm_s16le', out]);
  return out;
}

/** Three frames of 20000×200 pixels (MJPEG takes sizes H.264 refuses). */
export async function hugeVideo(dir: string): Promise<string> {
  const out = join(dir, 'huge.avi');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'color=c=gray:s=20000x200:r=3', '-frames:v', '3',
    '-c:v', 'mjpeg', '-q:v', '20', out,
  ]); // prettier-ignore
  return out;
}
