import { mkdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '#shared/image/rgbImage';
import type { Segment } from '#shared/render/plan';
import { atomicWrite } from '#main/fs/atomicWrite';
import {
  projectRoot,
  resolveInsideProject,
  type InsidePath,
  type ProjectRoot,
} from '#main/project/projectPaths';
import { explainIoError } from '#main/scheduler/ioError';
import { decodeSegment, encodeSegment, segmentHeader, type SegmentEncoder } from './segmentCodec';

export interface SegmentCacheOptions {
  /**
   * Called once when a write fails because the disk is full, with the bytes the segment needs:
   * frees space (prunes the cache) and returns the bytes it freed. The write is retried once if
   * it freed any; otherwise the disk-full error stands.
   */
  makeRoom?(bytes: number): Promise<number>;
  /**
   * The project whose `cache/segments` this is (`forProject`): every read and write is then
   * checked to stay inside the project, so a `cache` folder or a shard linked to a user's folder
   * is refused instead of written into. Without it, the cache folder itself is the boundary.
   */
  projectDir?: string;
}

/**
 * Finished segments, content-addressed by their hash under `<project>/cache/segments/`. A file
 * exists only once complete (atomic write), so after a crash a segment is either fully cached or
 * rendered again; a file that fails to decode counts as missing. A hit touches the file's mtime:
 * the cache pruner (`cachePruner.ts`) removes the least recently used segments first.
 */
export class SegmentCache {
  constructor(
    readonly folder: string,
    private readonly options: SegmentCacheOptions = {},
  ) {}

  /** The boundary's real path, resolved once (a failure is not kept: the folder may appear). */
  private root: Promise<ProjectRoot> | null = null;

  static forProject(projectDir: string, options: SegmentCacheOptions = {}): SegmentCache {
    return new SegmentCache(join(projectDir, 'cache', 'segments'), { ...options, projectDir });
  }

  /** A path under the cache folder (`<hh>` or `<hh>/<hash>.seg`), checked to stay inside. */
  private async inside(rel: string, kind: 'file' | 'folder'): Promise<InsidePath> {
    const boundary = this.options.projectDir ?? this.folder;
    this.root ??= projectRoot(boundary).catch((e: unknown) => {
      this.root = null;
      throw e;
    });
    const prefix = this.options.projectDir ? 'cache/segments/' : '';
    return resolveInsideProject(await this.root, prefix + rel, { kind });
  }

  private relOf(hash: string): string {
    this.pathOf(hash); // validates the hash
    return `${hash.slice(0, 2)}/${hash}.seg`;
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{32}$/.test(hash)) throw new Error(`not a segment hash: ${hash}`);
    return join(this.folder, hash.slice(0, 2), `${hash}.seg`);
  }

  async has(hash: string): Promise<boolean> {
    const file = await this.inside(this.relOf(hash), 'file').catch(() => null);
    return file?.exists ?? false;
  }

  /** The frames of a cached segment, or null when it is not cached (or unreadable). */
  async read(segment: Segment): Promise<RgbImage[] | null> {
    let buf: Buffer;
    let path: string;
    try {
      const file = await this.inside(this.relOf(segment.hash), 'file');
      if (!file.exists) return null;
      path = file.path;
      buf = await readFile(path);
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
      // Recently used = recent mtime, for the pruner. Best effort: one syscall, and a file the
      // pruner removed meanwhile (or a read-only cache) is no reason to fail a render.
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return frames;
    } catch {
      return null;
    }
  }

  /**
   * Stores a segment's frames. `encoded`: an encoder the frames were already streamed into as they
   * were rendered (used when it holds exactly these frames; otherwise they are encoded here).
   */
  async write(segment: Segment, frames: RgbImage[], encoded?: SegmentEncoder): Promise<number> {
    const header = segmentHeader(segment, frames);
    const streamed =
      encoded &&
      encoded.added.length === frames.length &&
      encoded.added.every((f, i) => f === frames[i]);
    const buf = streamed ? await encoded.finish(header) : await encodeSegment(header, frames);
    try {
      await this.store(segment.hash, buf);
    } catch (e) {
      if (!isDiskFull(e) || !this.options.makeRoom)
        throw explainIoError(e, `writing the segment cache in ${this.folder}`);
      const freed = await this.options.makeRoom(buf.length).catch(() => 0);
      if (freed <= 0) throw explainIoError(e, `writing the segment cache in ${this.folder}`);
      try {
        await this.store(segment.hash, buf);
      } catch (again) {
        throw explainIoError(again, `writing the segment cache in ${this.folder}`);
      }
    }
    return buf.length;
  }

  private async store(hash: string, buf: Buffer): Promise<void> {
    if (!this.options.projectDir) await mkdir(this.folder, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      // Checked on every write: the shard's real path, never a link's target outside. The
      // segment file itself is replaced by rename, which replaces a link rather than following it.
      const shard = (await this.inside(hash.slice(0, 2), 'folder')).path;
      await mkdir(shard, { recursive: true });
      try {
        await atomicWrite(join(shard, `${hash}.seg`), buf);
        return;
      } catch (e) {
        // The pruner removes shard folders it empties; one may go between mkdir and the write.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 2) throw e;
      }
    }
  }
}

function isDiskFull(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC';
}
