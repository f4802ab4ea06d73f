/**
 * Keeps the driving video's sound for export: the first audio stream copied, not re-encoded, into
 * a Matroska audio file (which takes any codec) written atomically next to the poses.
 */
import { rename, rm } from 'node:fs/promises';
import { runFfmpeg } from '#main/media/ffmpegProcess';
import { partialPath } from '#main/media/outputTarget';
import { ExtractError } from '#main/engine/extract/extractError';

export async function keepAudio(
  ffmpeg: string,
  video: string,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const tmp = partialPath(out); // short: a 255-byte output name still leaves room for it
  try {
    await runFfmpeg(
      ffmpeg,
      [
        '-y',
        '-v',
        'error',
        '-i',
        video,
        '-map',
        '0:a:0',
        '-vn',
        '-c:a',
        'copy',
        '-f',
        'matroska',
        tmp,
      ],
      signal ? { signal } : {},
    );
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ExtractError(`could not keep the audio of ${video}: ${(e as Error).message}`);
  }
}
