import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** What ffmpeg printed about its progress (`frame=  120 fps= 60 … speed=2.0x`). */
export interface FfmpegStatus {
  frame: number;
  fps: number;
  /** Output time in seconds, when printed. */
  time: number | null;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string[],
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

const TAIL_LINES = 12;

/** Parses one stderr line; null if it is not a progress line. */
export function parseStatusLine(line: string): FfmpegStatus | null {
  const frame = /frame=\s*(\d+)/.exec(line);
  if (!frame) return null;
  const fps = /fps=\s*([\d.]+)/.exec(line);
  const time = /time=\s*(-?)(\d+):(\d+):([\d.]+)/.exec(line);
  return {
    frame: Number(frame[1]),
    fps: fps ? Number(fps[1]) : 0,
    time: time && !time[1] ? Number(time[2]) * 3600 + Number(time[3]) * 60 + Number(time[4]) : null,
  };
}

/** Lines of ffmpeg's stderr that explain a failure, newest last (progress lines dropped). */
function meaningfulTail(lines: string[]): string[] {
  return lines.filter((l) => l.trim() && !parseStatusLine(l)).slice(-TAIL_LINES);
}

export interface FfmpegRunOptions {
  /** Feed stdin (raw frames) — `write()` then; otherwise stdin is closed at once. */
  stdin?: boolean;
  signal?: AbortSignal;
  onStatus?: (s: FfmpegStatus) => void;
}

/**
 * A running ffmpeg. Frames go in with `write()`, which resolves only when ffmpeg's pipe has room
 * again (back-pressure: a slow encoder slows the render instead of filling memory).
 */
export class FfmpegProcess {
  private readonly child: ChildProcessByStdio<Writable, null, Readable>;
  private readonly stderrLines: string[] = [];
  private stderrRest = '';
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private stdinError: Error | null = null;

  constructor(
    readonly binary: string,
    readonly args: string[],
    options: FfmpegRunOptions = {},
  ) {
    this.child = spawn(binary, ['-hide_banner', '-nostdin', ...args], {
      stdio: [options.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
      windowsHide: true,
    }) as unknown as ChildProcessByStdio<Writable, null, Readable>;
    if (options.stdin) {
      // EPIPE when ffmpeg dies early: remembered, reported with ffmpeg's own words in finish().
      this.child.stdin.on('error', (e) => {
        this.stdinError = e;
      });
    }
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      const parts = (this.stderrRest + chunk).split(/\r|\n/);
      this.stderrRest = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        this.stderrLines.push(line);
        if (this.stderrLines.length > 200) this.stderrLines.splice(0, 100);
        const st = options.onStatus && parseStatusLine(line);
        if (st) options.onStatus!(st);
      }
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', (e) =>
        reject(new FfmpegError(`could not start ffmpeg (${binary}): ${e.message}`, [], null)),
      );
      this.child.on('close', (code, sig) => {
        if (this.stderrRest.trim()) this.stderrLines.push(this.stderrRest);
        this.exitCode = code ?? (sig ? -1 : null);
        resolve(code);
      });
    });
    this.exited.catch(() => undefined);
    if (options.signal) {
      const onAbort = () => this.kill();
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
      void this.exited.finally(() => options.signal!.removeEventListener('abort', onAbort));
    }
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Writes one chunk; resolves when ffmpeg can take more. Rejects if ffmpeg has stopped. */
  async write(chunk: Uint8Array): Promise<void> {
    const stdin = this.child.stdin;
    if (!stdin) throw new Error('ffmpeg was started without stdin');
    if (!this.running || this.stdinError)
      throw await this.failure('ffmpeg stopped while frames were still being sent');
    if (stdin.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
    });
    if (!this.running || this.stdinError)
      throw await this.failure('ffmpeg stopped while frames were still being sent');
  }

  /** Closes stdin and waits for ffmpeg; throws FfmpegError with its last stderr lines on failure. */
  async finish(): Promise<void> {
    this.child.stdin?.end();
    const code = await this.exited;
    if (code !== 0) throw await this.failure('ffmpeg failed');
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** Stops ffmpeg and waits until it is gone (so its files can be removed). */
  async abort(): Promise<void> {
    this.kill();
    await this.exited.catch(() => undefined);
  }

  private async failure(what: string): Promise<FfmpegError> {
    // Give ffmpeg a moment to exit and flush the error it died of.
    await Promise.race([this.exited.catch(() => null), new Promise((r) => setTimeout(r, 2000))]);
    const tail = meaningfulTail(this.stderrLines);
    const code = this.exitCode ?? null;
    const detail = tail.length
      ? `: ${tail.slice(-4).join(' | ')}`
      : code !== null
        ? ` (exit code ${code})`
        : '';
    return new FfmpegError(`${what}${detail}`, tail, code);
  }
}

/** Runs ffmpeg to completion without stdin (probing, palette passes, muxing). */
export async function runFfmpeg(
  binary: string,
  args: string[],
  options: Omit<FfmpegRunOptions, 'stdin'> = {},
): Promise<void> {
  await new FfmpegProcess(binary, args, options).finish();
}
