import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '#shared/image/rgbImage';
import { FfmpegProcess, type FfmpegStatus } from './ffmpegProcess';
import { probeVideo, type VideoProbe } from './ffprobe';
import { encodesAlpha, encoderArgs, outputSize, type EncodeSettings } from './formats';
import {
  claimOutput,
  makePartialFolder,
  moveIntoPlace,
  partialPath,
  removeDeadPartials,
  type OutputIdentity,
} from './outputTarget';

export interface EncoderOptions extends EncodeSettings {
  ffmpeg: string;
  ffprobe: string;
  /** Final path: a file, or a folder for PNG sequences. */
  output: string;
  /** What this output is (format and range): marks folder outputs, recognises earlier ones. */
  identity?: OutputIdentity;
  /** Replace what is at `output` (for folders: files of the same name; nothing is removed). */
  overwrite?: boolean;
  /** The caller has proof that the existing file at `output` is this render's previous output. */
  ownsExisting?: boolean;
  signal?: AbortSignal;
  onStatus?: (s: FfmpegStatus) => void;
}

// The path rules live in outputTarget; re-exported for the encoder's callers.
export { OutputPathError, partialPath, removeDeadPartials } from './outputTarget';

/**
 * Streams raw RGB frames into ffmpeg. The video is written under a temporary name beside the
 * output, checked with ffprobe (frame count, fps, size) and only then renamed into place, so a
 * failed or cancelled export never leaves a partial file at the output path.
 */
export class VideoEncoder {
  private frames = 0;

  private constructor(
    private readonly opts: EncoderOptions,
    private readonly target: string,
    private readonly proc: FfmpegProcess,
  ) {}

  static async open(opts: EncoderOptions): Promise<VideoEncoder> {
    await claimOutput(opts.output, {
      kind: opts.format === 'png' ? 'folder' : 'file',
      identity: identityOf(opts),
      ...(opts.overwrite ? { overwrite: true } : {}),
      ...(opts.ownsExisting ? { ownsExisting: true } : {}),
    });
    await removeDeadPartials(opts.output);
    const target =
      opts.format === 'png' ? await makePartialFolder(opts.output) : partialPath(opts.output);
    const proc = new FfmpegProcess(opts.ffmpeg, encoderArgs(opts, target), {
      stdin: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
    });
    return new VideoEncoder(opts, target, proc);
  }

  get framesWritten(): number {
    return this.frames;
  }

  async writeFrame(image: RgbImage): Promise<void> {
    if (image.width !== this.opts.width || image.height !== this.opts.height)
      throw new Error(
        `frame ${this.frames} is ${image.width}×${image.height}, the video is ${this.opts.width}×${this.opts.height}`,
      );
    await this.proc.write(encodesAlpha(this.opts) ? rgba(image) : image.data);
    this.frames++;
  }

  /** Finishes the file, checks it, moves it into place. Removes the partial file on any failure. */
  async finish(): Promise<VideoProbe> {
    try {
      await this.proc.finish();
      const probe = await this.verify();
      const kind = this.opts.format === 'png' ? 'folder' : 'file';
      await moveIntoPlace(this.target, this.opts.output, kind, identityOf(this.opts));
      return probe;
    } catch (e) {
      await rm(this.target, { recursive: true, force: true });
      throw e;
    }
  }

  /** Stops ffmpeg and removes the partial output. */
  async abort(): Promise<void> {
    await this.proc.abort();
    await rm(this.target, { recursive: true, force: true });
  }

  /** The temporary path being written (a file, or a folder for PNG sequences). */
  get partial(): string {
    return this.target;
  }

  private async verify(): Promise<VideoProbe> {
    const want = outputSize(this.opts);
    let probe: VideoProbe;
    if (this.opts.format === 'png') {
      const files = (await readdir(this.target)).filter((f) => f.endsWith('.png')).sort();
      if (!files.length) throw new Error('the PNG sequence is empty');
      const first = await probeVideo(this.opts.ffprobe, join(this.target, files[0]!));
      probe = { ...first, frames: files.length, fps: this.opts.fps };
    } else {
      probe = await probeVideo(this.opts.ffprobe, this.target);
    }
    const problems: string[] = [];
    if (probe.frames !== this.frames)
      problems.push(`${probe.frames} frames instead of ${this.frames}`);
    if (probe.width !== want.width || probe.height !== want.height)
      problems.push(`${probe.width}×${probe.height} instead of ${want.width}×${want.height}`);
    if (this.opts.format !== 'gif' && Math.abs(probe.fps - this.opts.fps) > 0.01)
      problems.push(`${probe.fps} fps instead of ${this.opts.fps}`);
    if (problems.length) throw new Error(`the encoded video is wrong: ${problems.join(', ')}`);
    return probe;
  }
}

/** Interleaved RGBA of a frame for an encode with alpha; a frame without a plane is opaque. */
function rgba(image: RgbImage): Uint8Array {
  const n = image.width * image.height;
  const { data, alpha } = image;
  if (alpha && alpha.length !== n)
    throw new Error(`frame alpha has ${alpha.length} values for ${image.width}×${image.height}`);
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = data[i * 3]!;
    out[i * 4 + 1] = data[i * 3 + 1]!;
    out[i * 4 + 2] = data[i * 3 + 2]!;
    out[i * 4 + 3] = alpha ? alpha[i]! : 255;
  }
  return out;
}

function identityOf(opts: EncoderOptions): OutputIdentity {
  return opts.identity ?? { format: opts.format, from: opts.startNumber ?? 0, to: -1 };
}
