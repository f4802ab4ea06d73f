/**
 * The puppet as the real-picture checks drive it: through the engine client (the product's public
 * entry: setupCharacter / renderPuppetFrames), so the same harness measures whichever puppet the
 * engine runs. Also the engine process's CPU time, for speed numbers that do not depend on how
 * busy the machine is.
 */
import { readFileSync } from 'node:fs';
import { EngineClient } from '#main/engine/client/engineClient';
import type { RgbImage } from '#shared/image/rgbImage';
import type { LayerOverrides } from '#shared/puppet/layerOrder';
import { PuppetWorker } from '#main/scheduler/workers/puppetWorker';

export type Background = readonly [number, number, number];
export const WHITE: Background = [255, 255, 255];
export const BLACK: Background = [0, 0, 0];

/** CPU time (user + system) a process has used, ms (Linux /proc; 0 elsewhere). */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

export class PuppetDriver {
  private constructor(
    readonly engine: EngineClient,
    readonly pid: number,
  ) {}

  static async start(threads = 1): Promise<PuppetDriver> {
    const engine = await EngineClient.start({ threads });
    return new PuppetDriver(engine, (await engine.info()).pid);
  }

  async setup(
    picturePath: string,
    reference: Float64Array,
    background?: Background,
    maskPath?: string,
    layers?: LayerOverrides,
  ) {
    return this.engine.setupCharacter({
      picturePath,
      referencePose: reference,
      // None given: the product's default, the plate (a photo's inpainted background).
      ...(background ? { background: [...background] as [number, number, number] } : {}),
      ...(maskPath ? { maskPath } : {}),
      ...(layers ? { layers } : {}),
    });
  }

  async render(characterId: string, poses: Float64Array[]): Promise<RgbImage[]> {
    const frames: RgbImage[] = [];
    for (let i = 0; i < poses.length; i += 60)
      frames.push(
        ...(await this.engine.renderPuppetFrames({ characterId, poses: poses.slice(i, i + 60) })),
      );
    return frames;
  }

  /**
   * A render's worker over this engine (PuppetWorker: 8-frame batches, two in flight), the
   * character set up (not timed by the caller). `size`: the frames' size, the picture's.
   */
  async worker(
    picturePath: string,
    reference: Float64Array,
    size: { width: number; height: number },
  ): Promise<PuppetWorker> {
    const worker = new PuppetWorker(
      'bench',
      this.engine,
      { picturePath, referencePose: reference },
      size,
    );
    await worker.warmUp();
    return worker;
  }

  /**
   * `poses` rendered as a render does, `segmentLength` frames a segment, through `worker`. `keep`
   * false drops each segment's frames once received, as the encoder would, so a long 1024² run
   * does not hold a gigabyte of frames.
   */
  static async renderSegments(
    worker: PuppetWorker,
    poses: Float64Array[],
    { keep = true, segmentLength = 24 } = {},
  ): Promise<RgbImage[]> {
    const frames: RgbImage[] = [];
    for (let start = 0; start < poses.length; start += segmentLength) {
      const end = Math.min(poses.length, start + segmentLength);
      const segment = {
        index: start / segmentLength,
        role: 'chunk' as const,
        windowStart: start,
        windowEnd: end,
        start,
        end,
        anchorFrame: start,
        after: [],
        coupled: [],
        inputHash: '',
        hash: '',
      };
      const got = await worker.renderSegment(
        { jobId: 'bench', segment, poses: poses.slice(start, end), dependencies: [] },
        new AbortController().signal,
      );
      if (keep) frames.push(...got);
    }
    return frames;
  }

  /** Sets up, renders and releases: one picture, one list of poses. */
  async renderOnce(
    picturePath: string,
    reference: Float64Array,
    poses: Float64Array[],
    background?: Background,
    maskPath?: string,
    layers?: LayerOverrides,
  ) {
    const info = await this.setup(picturePath, reference, background, maskPath, layers);
    try {
      return { info, frames: await this.render(info.characterId, poses) };
    } finally {
      await this.engine.releaseCharacter(info.characterId);
    }
  }

  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
