/**
 * The studio's video imports (the `video.*` API methods): uploads, the running and finished
 * imports (a few at most, each with its temporary folder), and what reaches the project.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '#shared/api/errors';
import type { ApiParams, ApiResult } from '#shared/api/methods';
import type { VideoImportStatus } from '#shared/api/videoImport';
import type { ProjectSession } from '#main/services/api/ports';
import { VideoImportJob, type VideoImportTools } from './videoImportJob';
import { videoMotion } from './videoMotion';
import { VideoUploads } from './videoUploads';

/** Imports remembered at once; starting another forgets (and deletes) the oldest. */
const MAX_IMPORTS = 2;

export class VideoImports {
  private readonly uploads = new VideoUploads();
  private readonly jobs = new Map<string, VideoImportJob>();

  constructor(private readonly tools: () => VideoImportTools) {}

  uploadPart(p: ApiParams<'video.uploadPart'>): Promise<number> {
    return this.uploads.addPart(p.uploadId, p.offset, p.total, Buffer.from(p.dataBase64, 'base64'));
  }

  async start(project: ProjectSession, uploadId: string, fileName: string) {
    const upload = await this.uploads.take(uploadId);
    while (this.jobs.size >= MAX_IMPORTS) {
      const [oldest, job] = this.jobs.entries().next().value!;
      this.jobs.delete(oldest);
      await job.dispose();
    }
    // A fresh id: the client's upload id is not reused for anything that lasts.
    const id = `${uploadId.slice(0, 16)}-${randomBytes(6).toString('hex')}`;
    const job = await VideoImportJob.start(
      id,
      upload,
      fileName,
      project.summary().fps,
      this.tools(),
    );
    this.jobs.set(id, job);
    return job.snapshot();
  }

  status(importId: string): VideoImportStatus {
    return this.job(importId).snapshot();
  }

  cancel(importId: string): Promise<VideoImportStatus> {
    return this.job(importId).cancel();
  }

  async motion(
    project: ProjectSession,
    p: ApiParams<'video.motion'>,
  ): Promise<ApiResult<'video.motion'>> {
    const extracted = this.job(p.importId).extracted();
    return videoMotion(extracted, p.personId, await project.character(), p.tolerance);
  }

  /** The video's sound becomes the render's audio (copied into the project's assets). */
  async keepAudio(project: ProjectSession, importId: string): Promise<{ audio: string }> {
    const job = this.job(importId);
    job.extracted(); // only a finished import: a cancelled one leaves the project as it was
    if (!project.useAudioFile)
      throw new ApiError('unavailable', 'this build cannot set the render audio');
    return { audio: await project.useAudioFile(await job.soundFile()) };
  }

  async close(): Promise<void> {
    for (const job of this.jobs.values()) await job.dispose();
    this.jobs.clear();
    await this.uploads.close();
  }

  private job(importId: string): VideoImportJob {
    const job = this.jobs.get(importId);
    if (!job)
      throw new ApiError(
        'not-found',
        `no video import "${importId}" (it was replaced by a newer one or the studio restarted)`,
        'Import the video again.',
      );
    return job;
  }
}
