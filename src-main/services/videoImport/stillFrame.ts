/**
 * One frame of a video as a small JPEG, for choosing a person: ffmpeg seeks to the frame's time
 * and writes an MJPEG picture to its stdout (no temporary file).
 */
import { spawn } from 'node:child_process';

/** Longest side of the still: enough to tell people apart, small enough to send as a data URL. */
const STILL_SIDE = 640;
const MAX_STILL_BYTES = 4 * 1024 * 1024;

export async function stillFrameJpeg(
  ffmpeg: string,
  file: string,
  seconds: number,
): Promise<Buffer> {
  const scale = `scale='min(${STILL_SIDE},iw)':'min(${STILL_SIDE},ih)':force_original_aspect_ratio=decrease`;
  const child = spawn(
    ffmpeg,
    [
      '-hide_banner', '-nostdin', '-v', 'error',
      '-ss', seconds.toFixed(3), '-i', file,
      '-map', '0:v:0', '-frames:v', '1', '-vf', scale,
      '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '5', '-',
    ], // prettier-ignore
    { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
  );
  const chunks: Buffer[] = [];
  let size = 0;
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_STILL_BYTES) child.kill('SIGKILL');
    else chunks.push(c);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (err = (err + s).slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const jpeg = Buffer.concat(chunks);
  if (code !== 0 || jpeg.length === 0)
    throw new Error(`ffmpeg could not take a still at ${seconds.toFixed(2)} s: ${err.trim()}`);
  return jpeg;
}
