import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '../../src-shared/image/rgbImage';
import type { Segment } from '../../src-shared/render/plan';
import { atomicWrite } from '../services/project/atomicWrite';
import { explainIoError } from './ioError';
import { decodeSegment, encodeSegment } from './segmentCodec';

/**
 * Finished segments, content-addressed by their hash under `<project>/cache/segments/`. A file
 * exists only once complete (atomic write), so after a crash a segment is either fully cached or
 * rendered again; a file that fails to decode counts as missing.
 */
export class SegmentCache {
  constructor(readonly folder: string) {}

  static forProject(projectDir: string): SegmentCache {
    return new SegmentCache(join(projectDir, 'cache', 'segments'));
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{32}$/.test(hash)) throw new Error(`not a segment hash: ${hash}`);
    return join(this.folder, hash.slice(0, 2), `${hash}.seg`);
  }

  async has(hash: string): Promise<boolean> {
    return (await stat(this.pathOf(hash)).catch(() => null))?.isFile() ?? false;
  }

  /** The frames of a cached segment, or null when it is not cached (or unreadable). */
  async read(segment: Segment): Promise<RgbImage[] | null> {
    let buf: Buffer;
    try {
      buf = await readFile(this.pathOf(segment.hash));
    } catch {
      return null;
    }
    try {
      const { header, frames } = await decodeSegment(buf);
      if (
        header.hash !== segment.hash ||
        header.start !== segment.start ||
        header.end !== segment.end
      )
        return null;
      return frames;
    } catch {
      return null;
    }
  }

  async write(segment: Segment, frames: RgbImage[]): Promise<number> {
    const first = frames[0];
    if (!first || frames.length !== segment.end - segment.start)
      throw new Error(
        `segment ${segment.index} should have ${segment.end - segment.start} frames, got ${frames.length}`,
      );
    const buf = await encodeSegment(
      {
        hash: segment.hash,
        start: segment.start,
        end: segment.end,
        width: first.width,
        height: first.height,
        frames: frames.length,
      },
      frames,
    );
    try {
      await mkdir(join(this.folder, segment.hash.slice(0, 2)), { recursive: true });
      await atomicWrite(this.pathOf(segment.hash), buf);
    } catch (e) {
      throw explainIoError(e, `writing the segment cache in ${this.folder}`);
    }
    return buf.length;
  }
}
