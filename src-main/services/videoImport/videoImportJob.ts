/**
 * One video import: the uploaded file is probed, decoded by ffmpeg and posed frame by frame in
 * an engine process of its own (`extractVideo`, the CLI's path), with progress and an ETA. Cancel
 * kills ffmpeg and that engine process at once. Nothing here touches the project: the chosen
 * person's motion and the sound reach it only through `motion()` and the project session.
 */
import { rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ApiError } from '#shared/api/errors';
import type { VideoImportStatus } from '#shared/api/videoImport';
import { safeFileName } from '#shared/project/index';
import type { PoseFrame } from '#shared/pose/types';
import type { EngineClient } from '#main/engine/client/engineClient';
import { EngineExtractor } from '#main/engine/extract/engineExtractor';
import { ExtractCancelled, ExtractError } from '#main/engine/extract/extractError';
import { extractVideo } from '#main/engine/extract/extractPoses';
import { probeInput } from '#main/engine/extract/probeInput';
import type { VideoProbe } from '#main/media/ffprobe';
import { keepAudio } from '#main/services/extract/keepAudio';
import type { FinishedUpload } from './videoUploads';
import { peopleOf, stillFrameIndex } from './people';
import { stillFrameJpeg } from './stillFrame';

export interface VideoImportTools {
  ffmpeg: string;
  ffprobe: string;
  /** Starts the engine process this import poses its frames in (closed when it ends). */
  startEngine(): Promise<EngineClient>;
}

/** A finished import's poses: dense frames at `fps`, for a project at `projectFps`. */
export interface ExtractedVideo {
  frames: PoseFrame[];
  fps: number;
  projectFps: number;
  fileName: string;
}

/** Frames timed before an ETA is given (the first ones include the extractor's warm-up). */
const ETA_AFTER_FRAMES = 3;

export class VideoImportJob {
  private status: VideoImportStatus;
  private readonly controller = new AbortController();
  private engine: EngineClient | null = null;
  private frames: PoseFrame[] = [];
  private timing: { at: number; frame: number } | null = null;
  /** Resolves when extraction has ended, whatever the outcome. */
  readonly finished: Promise<void>;

  private constructor(
    readonly id: string,
    private readonly upload: FinishedUpload & { video: string },
    private readonly probe: VideoProbe,
    fileName: string,
    private readonly fps: number,
    private readonly projectFps: number,
    private readonly tools: VideoImportTools,
  ) {
    this.status = {
      importId: id,
      fileName,
      state: 'extracting',
      frame: 0,
      total: Math.max(1, Math.round((probe.durationSeconds ?? probe.frames / probe.fps) * fps)),
      etaSeconds: null,
      width: probe.width,
      height: probe.height,
      fps,
      hasAudio: probe.hasAudio,
      warnings: [],
      people: [],
      still: null,
    };
    this.finished = this.run();
  }

  /**
   * Probes the upload (under the user's file name, so a picture is known by its extension) and
   * starts extraction at the project's frame rate, or the video's when that is lower (posing a
   * frame twice adds nothing; the keyframes are put on the project's frames afterwards), so the
   * motion and the sound line up with the render. A file that is not a video is refused here,
   * in words, and deleted.
   */
  static async start(
    id: string,
    upload: FinishedUpload,
    fileName: string,
    projectFps: number,
    tools: VideoImportTools,
  ): Promise<VideoImportJob> {
    try {
      const ext = extname(fileName).toLowerCase().slice(0, 12);
      const video = join(upload.dir, safeFileName(`video${ext}`));
      await rename(upload.file, video);
      const kind = await probeInput(tools.ffprobe, video).catch((e: unknown) => {
        if (e instanceof ExtractError)
          throw new ApiError(
            'bad-request',
            `${fileName} is not a video Pose Studio can read (${reasonOf(e.message, video)})`,
            'Choose an MP4, WebM, MOV or MKV video.',
          );
        throw e;
      });
      if (kind.kind === 'picture')
        throw new ApiError(
          'bad-request',
          `${fileName} is a picture, not a video`,
          'Drop pictures on the Character view; drop videos or pose files here.',
        );
      const own = Math.round(kind.probe.fps * 1000) / 1000;
      const fps = own > 0 ? Math.min(own, projectFps) : projectFps;
      return new VideoImportJob(
        id,
        { ...upload, video },
        kind.probe,
        fileName,
        fps,
        projectFps,
        tools,
      );
    } catch (e) {
      await rm(upload.dir, { recursive: true, force: true });
      throw e;
    }
  }

  snapshot(): VideoImportStatus {
    const s = this.status;
    let eta: number | null = null;
    if (
      s.state === 'extracting' &&
      this.timing &&
      s.frame - this.timing.frame >= ETA_AFTER_FRAMES
    ) {
      const perFrame = (Date.now() - this.timing.at) / (s.frame - this.timing.frame);
      eta = Math.max(0, ((s.total - s.frame) * perFrame) / 1000);
    }
    return { ...s, etaSeconds: eta, warnings: [...s.warnings], people: [...s.people] };
  }

  /** Stops decoding and the engine's work at once; the upload is deleted. */
  async cancel(): Promise<VideoImportStatus> {
    if (this.status.state === 'extracting') {
      this.controller.abort();
      // The frame being posed is not waited for: the engine process is ended now.
      await this.engine?.close();
      await this.finished;
    }
    return this.snapshot();
  }

  /** The extracted frames (on the video's canvas); only once done. */
  extracted(): ExtractedVideo {
    if (this.status.state !== 'done')
      throw new ApiError(
        'bad-request',
        `the import of ${this.status.fileName} is ${this.status.state}, not done`,
        this.status.state === 'extracting' ? 'Wait for it to finish.' : 'Import the video again.',
      );
    return {
      frames: this.frames,
      fps: this.fps,
      projectFps: this.projectFps,
      fileName: this.status.fileName,
    };
  }

  /** The video's sound alone, copied (not re-encoded) into a Matroska file beside the upload. */
  async soundFile(): Promise<string> {
    if (!this.probe.hasAudio)
      throw new ApiError('bad-request', `${this.status.fileName} has no sound to keep`);
    const out = join(
      this.upload.dir,
      safeFileName(`${this.status.fileName.replace(/\.[^.]*$/, '')}.audio.mka`),
    );
    try {
      await keepAudio(this.tools.ffmpeg, this.upload.video, out);
    } catch (e) {
      throw new ApiError('bad-request', (e as Error).message);
    }
    return out;
  }

  /** Deletes the upload (the import is forgotten). */
  async dispose(): Promise<void> {
    await this.cancel();
    await rm(this.upload.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    try {
      this.engine = await this.tools.startEngine();
      if (this.controller.signal.aborted) throw new ExtractCancelled();
      const result = await extractVideo({
        ffmpeg: this.tools.ffmpeg,
        file: this.upload.video,
        probe: this.probe,
        extractor: new EngineExtractor(this.engine),
        fps: this.fps,
        signal: this.controller.signal,
        onProgress: (p) => {
          if (!this.timing) this.timing = { at: Date.now(), frame: p.frame };
          this.status = { ...this.status, frame: p.frame, total: p.total };
        },
      });
      this.frames = result.frames;
      const still = stillFrameIndex(result.frames);
      const people = peopleOf(result.frames, still);
      if (people.length === 0)
        throw new ExtractError(
          `nobody was found in ${this.status.fileName} (${result.frames.length} frames); nothing was changed`,
        );
      const jpeg = await stillFrameJpeg(this.tools.ffmpeg, this.upload.video, still / this.fps);
      this.status = {
        ...this.status,
        state: 'done',
        frame: result.frames.length,
        total: result.frames.length,
        warnings: result.warnings.slice(0, 20),
        people,
        still: { frame: still, dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}` },
      };
    } catch (e) {
      if (this.controller.signal.aborted || e instanceof ExtractCancelled) {
        this.status = { ...this.status, state: 'cancelled' };
        await rm(this.upload.dir, { recursive: true, force: true });
      } else {
        this.status = {
          ...this.status,
          state: 'failed',
          message: failureText(e, this.upload.video),
        };
      }
    } finally {
      await this.engine?.close().catch(() => undefined);
      this.engine = null;
    }
  }
}

/** The engine's or ffmpeg's reason, without the temporary path the user never saw. */
function reasonOf(message: string, tempPath: string): string {
  return message.split(`${tempPath}: `).join('').split(tempPath).join('the video');
}

function failureText(e: unknown, tempPath: string): string {
  const message = reasonOf(e instanceof Error ? e.message : String(e), tempPath);
  if (e instanceof Error && e.name === 'EngineCrashedError')
    return `the engine stopped while posing the video (${message}); nothing was changed — import the video again`;
  return message;
}
