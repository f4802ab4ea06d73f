import { ApiError } from '#shared/api/errors';
import { MAX_PICTURE_BYTES } from '#shared/api/sizeLimits';

/** Uploads kept at once; a new one drops the oldest (an abandoned tab must not pin memory). */
const MAX_UPLOADS = 4;
/** An upload not finished in this time is dropped. */
const UPLOAD_TTL_MS = 10 * 60_000;

interface Upload {
  bytes: Buffer;
  received: number;
  touched: number;
}

/**
 * Pictures sent in parts (`character.uploadPicturePart`), so a large picture never crosses the
 * WebSocket as one frame. Parts arrive in order (the UI sends one at a time); the total is fixed
 * by the first part and bounded by the contract's picture limit.
 */
export class PictureUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds one part; returns how many bytes of the upload have arrived. */
  addPart(uploadId: string, offset: number, total: number, part: Buffer): number {
    this.expire();
    let u = this.uploads.get(uploadId);
    if (offset === 0) {
      if (total > MAX_PICTURE_BYTES)
        throw new ApiError('bad-request', 'the picture is too large', 'Save it smaller.');
      if (!u) {
        while (this.uploads.size >= MAX_UPLOADS)
          this.uploads.delete(this.uploads.keys().next().value!);
        u = { bytes: Buffer.alloc(total), received: 0, touched: this.now() };
        this.uploads.set(uploadId, u);
      } else if (u.received !== 0) throw this.outOfOrder(uploadId);
    }
    if (!u)
      throw new ApiError(
        'not-found',
        `no picture upload "${uploadId}" (it may have expired)`,
        'Import the picture again.',
      );
    if (total !== u.bytes.length || offset !== u.received) {
      this.uploads.delete(uploadId);
      throw this.outOfOrder(uploadId);
    }
    if (offset + part.length > total) {
      this.uploads.delete(uploadId);
      throw new ApiError(
        'bad-request',
        `picture upload "${uploadId}": more bytes than the size it announced`,
        'Import the picture again.',
      );
    }
    part.copy(u.bytes, offset);
    u.received += part.length;
    u.touched = this.now();
    return u.received;
  }

  /** The whole picture, once every byte has arrived; the upload is forgotten. */
  take(uploadId: string): Buffer {
    this.expire();
    const u = this.uploads.get(uploadId);
    if (!u)
      throw new ApiError(
        'not-found',
        `no picture upload "${uploadId}" (it may have expired)`,
        'Import the picture again.',
      );
    if (u.received !== u.bytes.length)
      throw new ApiError(
        'bad-request',
        `picture upload "${uploadId}" is incomplete (${u.received} of ${u.bytes.length} bytes)`,
        'Import the picture again.',
      );
    this.uploads.delete(uploadId);
    return u.bytes;
  }

  private outOfOrder(uploadId: string): ApiError {
    return new ApiError(
      'bad-request',
      `picture upload "${uploadId}": a part arrived out of order`,
      'Import the picture again.',
    );
  }

  private expire(): void {
    const now = this.now();
    for (const [id, u] of this.uploads)
      if (now - u.touched > UPLOAD_TTL_MS) this.uploads.delete(id);
  }
}
