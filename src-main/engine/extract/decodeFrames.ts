/**
 * Streams a video's frames as RGB pictures at a fixed frame rate, one at a time, so memory holds
 * one frame (plus the pipe's small buffer) whatever the length or resolution. ffmpeg's `fps`
 * filter does the variable-frame-rate normalisation (frames repeated or dropped onto the project's
 * frame grid), and a `scale` filter shrinks pictures larger than `maxSide` before they reach Node —
 * the extractors work at 640 px or less anyway; points are scaled back to the source canvas.
 */
import { spawn } from 'node:child_process';
import type { RgbImage } from '#shared/image/rgbImage';
import { ExtractCancelled, ExtractError } from './extractError';

export interface DecodeOptions {
  ffmpeg: string;
  file: string;
  /** Source size (from ffprobe). */
  width: number;
  height: number;
  fps: number;
  /** Longest side of decoded frames (default 1280). */
  maxSide?: number;
  signal?: AbortSignal;
}

export interface DecodedVideo {
  /** Size of the frames yielded (≤ maxSide). */
  width: number;
  height: number;
  frames: AsyncGenerator<RgbImage>;
  /** Lines ffmpeg printed as errors (damaged packets…), available once frames are exhausted. */
  warnings: string[];
}

/** The decoded size: the source fitted inside maxSide × maxSide, even numbers. */
export function decodedSize(width: number, height: number, maxSide: number) {
  const s = Math.min(1, maxSide / Math.max(width, height));
  const even = (v: number) => Math.max(2, Math.round((v * s) / 2) * 2);
  return s === 1 ? { width, height } : { width: even(width), height: even(height) };
}

export function decodeFrames(o: DecodeOptions): DecodedVideo {
  const { width, height } = decodedSize(o.width, o.height, o.maxSide ?? 1280);
  const warnings: string[] = [];
  const frameBytes = width * height * 3;
  async function* frames(): AsyncGenerator<RgbImage> {
    const filters = [`fps=${o.fps}`];
    if (width !== o.width || height !== o.height)
      filters.push(`scale=${width}:${height}:flags=area`);
    const child = spawn(
      o.ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-i',
        o.file,
        '-map',
        '0:v:0',
        '-an',
        '-sn',
        '-vf',
        filters.join(','),
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        '-',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
    );
    const abort = () => child.kill('SIGKILL');
    if (o.signal?.aborted) abort();
    o.signal?.addEventListener('abort', abort, { once: true });
    child.stderr.setEncoding('utf8');
    let errText = '';
    child.stderr.on('data', (s: string) => {
      errText = (errText + s).slice(-8000);
    });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', (e) =>
        reject(new ExtractError(`could not start ffmpeg (${o.ffmpeg}): ${e.message}`)),
      );
      child.on('close', (code) => resolve(code));
    });
    exited.catch(() => undefined);
    let buf = new Uint8Array(frameBytes);
    let filled = 0;
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        let off = 0;
        while (off < chunk.length) {
          const n = Math.min(frameBytes - filled, chunk.length - off);
          buf.set(chunk.subarray(off, off + n), filled);
          filled += n;
          off += n;
          if (filled === frameBytes) {
            const frame = { width, height, data: buf };
            buf = new Uint8Array(frameBytes);
            filled = 0;
            yield frame;
            if (o.signal?.aborted) throw new ExtractCancelled();
          }
        }
      }
      const code = await exited;
      if (o.signal?.aborted) throw new ExtractCancelled();
      const lines = errText
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      if (code !== 0)
        throw new ExtractError(
          `ffmpeg could not decode ${o.file}: ${lines.slice(-3).join(' | ') || `exit code ${code}`}`,
        );
      warnings.push(...lines.slice(-20));
    } finally {
      o.signal?.removeEventListener('abort', abort);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  return { width, height, frames: frames(), warnings };
}
