import { constants } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { RgbImage } from '../../../src-shared/image/rgbImage';
import { FfmpegProcess, type FfmpegStatus } from './ffmpegProcess';
import { probeVideo, type VideoProbe } from './ffprobe';
import { encoderArgs, outputSize, type EncodeSettings } from './formats';

export interface EncoderOptions extends EncodeSettings {
  ffmpeg: string;
  ffprobe: string;
  /** Final path: a file, or a folder for PNG sequences. */
  output: string;
  signal?: AbortSignal;
  onStatus?: (s: FfmpegStatus) => void;
}

/** The output folder is missing or not writable, or the output path is unusable. */
export class OutputPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputPathError';
  }
}

/** Where the video is written until it is complete and checked: same folder, hidden, same extension. */
export function partialPath(output: string, tag = String(process.pid)): string {
  const ext = extname(output);
  return join(dirname(output), `.${basename(output, ext)}.partial-${tag}${ext}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Partial outputs of exports whose process died (killed, crashed): removed before a new export. */
export async function removeDeadPartials(output: string): Promise<string[]> {
  const ext = extname(output);
  const prefix = `.${basename(output, ext)}.partial-`;
  const removed: string[] = [];
  for (const name of await readdir(dirname(output)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith(ext)) continue;
    const pid = Number(name.slice(prefix.length, name.length - ext.length || undefined));
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(join(dirname(output), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export async function checkOutputFolder(output: string): Promise<void> {
  const dir = dirname(output);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new OutputPathError(`output folder ${dir} does not exist`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new OutputPathError(`output folder ${dir} is not writable`);
  }
  const existing = await stat(output).catch(() => null);
  if (existing?.isDirectory() !== undefined) {
    const wantDir = extname(output) === '';
    if (existing.isDirectory() !== wantDir)
      throw new OutputPathError(
        `${output} exists and is a ${existing.isDirectory() ? 'folder' : 'file'}`,
      );
  }
}

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
    await checkOutputFolder(opts.output);
    await removeDeadPartials(opts.output);
    const target = partialPath(opts.output);
    await rm(target, { recursive: true, force: true });
    if (opts.format === 'png') await mkdir(target);
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
    await this.proc.write(image.data);
    this.frames++;
  }

  /** Finishes the file, checks it, moves it into place. Removes the partial file on any failure. */
  async finish(): Promise<VideoProbe> {
    try {
      await this.proc.finish();
      const probe = await this.verify();
      if (this.opts.format === 'png') await rm(this.opts.output, { recursive: true, force: true });
      await rename(this.target, this.opts.output);
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
