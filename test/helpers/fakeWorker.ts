import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';

/**
 * A test double of an engine worker: draws each frame deterministically from its pose (a grey
 * background and a 5×5 dot per present point, colour by point index), optionally slowly. Lets the
 * scheduler be tested without an engine; integration tests use the real puppet engine.
 */
export class FakeWorker implements RenderWorker {
  /** Segment indices rendered by this worker, in order. */
  readonly rendered: number[] = [];
  /** Fusion groups rendered by this worker (segment indices of each `renderGroup` call). */
  readonly groups: number[][] = [];
  /** Dependency frames each rendered segment was handed (`request.dependencies`), by index. */
  readonly dependencies = new Map<number, RgbImage[][]>();

  constructor(
    readonly id: string,
    private readonly size: { width: number; height: number },
    private readonly msPerFrame = 0,
  ) {}

  async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    const { segment } = req;
    const out: RgbImage[] = [];
    for (let f = segment.start; f < segment.end; f++) {
      if (signal.aborted) throw new CancelledError();
      if (this.msPerFrame) await new Promise((r) => setTimeout(r, this.msPerFrame));
      out.push(
        drawPoseFrame(req.poses[f - segment.windowStart]!, this.size.width, this.size.height),
      );
    }
    this.rendered.push(segment.index);
    this.dependencies.set(segment.index, req.dependencies);
    return out;
  }

  /**
   * A fusion group in one call (frames still drawn per pose: the fake has no coupling to model,
   * only the call structure the scheduler must respect).
   */
  async renderGroup(requests: SegmentRequest[], signal: AbortSignal): Promise<RgbImage[][]> {
    const out: RgbImage[][] = [];
    for (const req of requests) out.push(await this.renderSegment(req, signal));
    this.groups.push(requests.map((r) => r.segment.index));
    return out;
  }

  async close(): Promise<void> {}
}

export function drawPoseFrame(pose: Float64Array, width: number, height: number): RgbImage {
  const img = createRgbImage(width, height);
  img.data.fill(40);
  for (let p = 0; p < pose.length / 3; p++) {
    if (!(pose[p * 3 + 2]! > 0)) continue;
    const cx = Math.round(pose[p * 3]!);
    const cy = Math.round(pose[p * 3 + 1]!);
    for (let y = cy - 2; y <= cy + 2; y++) {
      if (y < 0 || y >= height) continue;
      for (let x = cx - 2; x <= cx + 2; x++) {
        if (x < 0 || x >= width) continue;
        const o = (y * width + x) * 3;
        img.data[o] = (p * 53) & 255;
        img.data[o + 1] = (p * 97 + 60) & 255;
        img.data[o + 2] = 200;
      }
    }
  }
  return img;
}
