/**
 * What the user gave us: a picture (sharp can read it) or a video (ffprobe finds a video stream).
 * Anything else is refused with a message naming the file and what was wrong with it.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { probeVideo, type VideoProbe } from '#main/media/ffprobe';
import { ExtractError } from './extractError';

const PICTURE_EXT = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
  '.bmp',
  '.gif',
]);

export type InputKind = { kind: 'picture' } | { kind: 'video'; probe: VideoProbe };

export async function probeInput(ffprobe: string, file: string): Promise<InputKind> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new ExtractError(`${file}: no such file`);
  }
  if (!info.isFile()) throw new ExtractError(`${file}: not a file`);
  if (info.size === 0) throw new ExtractError(`${file}: the file is empty`);
  const ext = extname(file).toLowerCase();
  if (PICTURE_EXT.has(ext) && ext !== '.gif') return { kind: 'picture' };
  let probe: VideoProbe;
  try {
    probe = await probeVideo(ffprobe, file);
  } catch (e) {
    // ffprobe's own words, without the path it was given and its "[demuxer @ 0x…]" tags.
    const why = (e as Error).message
      .replace(/^ffprobe could not read [^:]*: /, '')
      .replace(/\[[^\]]* @ 0x[0-9a-f]+\]\s*/g, '');
    throw new ExtractError(
      `${file}: not a video or picture that can be read (${why.split('\n')[0]!.slice(0, 200)})`,
    );
  }
  if (!(probe.width > 0 && probe.height > 0))
    throw new ExtractError(`${file}: the video stream has no picture size (damaged header?)`);
  if (probe.frames === 0)
    throw new ExtractError(`${file}: the video stream holds no frames (empty or damaged file)`);
  // A single-frame "video" (e.g. a GIF still or an image codec in a container) is a picture.
  return { kind: 'video', probe };
}
