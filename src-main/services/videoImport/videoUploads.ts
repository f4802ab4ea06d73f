/**
 * Videos sent in parts (`video.uploadPart`): each part is appended to a temporary file on the
 * host, so a 2 GB video never sits in memory. Parts arrive in order; the size is fixed by the
 * first part. An upload is deleted when its import ends, is cancelled, or is abandoned.
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '#shared/api/errors';
import { MAX_VIDEO_BYTES } from '#shared/api/videoImport';

/** Uploads in progress at once; a new one drops the oldest (an abandoned tab must not pin disk). */
const MAX_UPLOADS = 3;
/** An upload not finished in this time is dropped. */
const UPLOAD_TTL_MS = 30 * 60_000;

interface Upload {
  dir: string;
  file: string;
  handle: FileHandle | null;
  total: number;
  received: number;
  touched: number;
}

export interface FinishedUpload {
  /** The video on disk (inside `dir`). */
  file: string;
  /** Temporary folder to delete when the import is over. */
  dir: string;
  bytes: number;
}

export class VideoUploads {
  private readonly uploads = new Map<string, Upload>();
  /** One part at a time per upload: parts of one upload are written strictly in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => number = Date.now) {}

  addPart(uploadId: string, offset: number, total: number, part: Buffer): Promise<number> {
    const run = this.queue.then(() => this.add(uploadId, offset, total, part));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async add(uploadId: string, offset: number, total: number, part: Buffer) {
    await this.expire();
    let u = this.uploads.get(uploadId);
    if (offset === 0) {
      if (total > MAX_VIDEO_BYTES)
        throw new ApiError('bad-request', 'the video is larger than 2 GB', 'Cut it shorter.');
      if (u) await this.drop(uploadId);
      while (this.uploads.size >= MAX_UPLOADS) await this.drop(this.uploads.keys().next().value!);
      const dir = await mkdtemp(join(tmpdir(), 'pose-studio-video-'));
      const file = join(dir, 'upload');
      u = { dir, file, handle: await open(file, 'wx'), total, received: 0, touched: this.now() };
      this.uploads.set(uploadId, u);
    }
    if (!u?.handle)
      throw new ApiError(
        'not-found',
        `no video upload "${uploadId}" (it may have expired)`,
        'Import the video again.',
      );
    if (total !== u.total || offset !== u.received || offset + part.length > total) {
      await this.drop(uploadId);
      throw new ApiError(
        'bad-request',
        `video upload "${uploadId}": a part arrived out of order or past the announced size`,
        'Import the video again.',
      );
    }
    await u.handle.write(part, 0, part.length, offset);
    u.received += part.length;
    u.touched = this.now();
    return u.received;
  }

  /** The whole video on disk, once every byte has arrived; the caller owns it from then on. */
  async take(uploadId: string): Promise<FinishedUpload> {
    await this.queue;
    const u = this.uploads.get(uploadId);
    if (!u)
      throw new ApiError(
        'not-found',
        `no video upload "${uploadId}" (it may have expired)`,
        'Import the video again.',
      );
    if (u.received !== u.total) {
      await this.drop(uploadId);
      throw new ApiError(
        'bad-request',
        `video upload "${uploadId}" is incomplete (${u.received} of ${u.total} bytes)`,
        'Import the video again.',
      );
    }
    await u.handle?.close();
    u.handle = null;
    this.uploads.delete(uploadId);
    return { file: u.file, dir: u.dir, bytes: u.total };
  }

  /** Deletes every unfinished upload (the host is shutting down). */
  async close(): Promise<void> {
    await this.queue;
    for (const id of [...this.uploads.keys()]) await this.drop(id);
  }

  private async drop(uploadId: string): Promise<void> {
    const u = this.uploads.get(uploadId);
    if (!u) return;
    this.uploads.delete(uploadId);
    await u.handle?.close().catch(() => undefined);
    await rm(u.dir, { recursive: true, force: true });
  }

  private async expire(): Promise<void> {
    const now = this.now();
    for (const [id, u] of [...this.uploads])
      if (now - u.touched > UPLOAD_TTL_MS) await this.drop(id);
  }
}
