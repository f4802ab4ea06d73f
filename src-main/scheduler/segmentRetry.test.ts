import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { hashOf } from '#shared/render/hash';
import { planRender } from '#shared/render/plan';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher } from './workers/dispatcher';
import { FakeWorker } from '#test/helpers/fakeWorker';
import { SegmentCache } from './cache/segmentCache';
import { segmentLabel, SegmentFailedError, type RetryReport } from './segmentRetry';
import { runSegments } from './segmentRunner';
import { WorkerCrashedError, type SegmentRequest } from '#shared/render/worker';

const root = mkdtempSync(join(tmpdir(), 'ps-retry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const W = 24;
const H = 16;

function pose(frame: number): Float64Array {
  const p = new Float64Array(408);
  for (let i = 0; i < 18; i++) {
    p[i * 3] = (frame * 2 + i * 3) % W;
    p[i * 3 + 1] = (i * 5) % H;
    p[i * 3 + 2] = 1;
  }
  return p;
}

function setup(strategy: 'independent' | 'fused' = 'independent') {
  const plan = planRender(
    {
      from: 0,
      to: 40,
      segmentLength: 8,
      segmentOverlap: strategy === 'fused' ? 2 : 0,
      strategy,
      anchorFrame: -1,
      ...(strategy === 'fused' ? { fusionGroupWindows: 3 } : {}),
    },
    { frameHash: (f) => hashOf(pose(f)), settingsHash: 's' },
  );
  const poses = (s: { windowStart: number; windowEnd: number }) =>
    Array.from({ length: s.windowEnd - s.windowStart }, (_, i) => pose(s.windowStart + i));
  return { plan, poses };
}

/**
 * A fake worker whose "engine" dies during chosen segments: it hands over half the segment's
 * frames early (as the puppet worker streams batches), but corrupted, then throws the crash —
 * so a runner that let a failed attempt's frames through would cache or deliver wrong pixels.
 */
class CrashingWorker extends FakeWorker {
  readonly attempts = new Map<number, number>();
  constructor(
    id: string,
    private readonly crashes: (segment: number, attempt: number) => Error | null,
  ) {
    super(id, { width: W, height: H });
  }
  override async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    const index = req.segment.index;
    const attempt = (this.attempts.get(index) ?? 0) + 1;
    this.attempts.set(index, attempt);
    const crash = this.crashes(index, attempt);
    if (crash) {
      const frames = await super.renderSegment(req, signal);
      const half = frames.slice(0, frames.length >> 1).map((f) => {
        const bad = { ...f, data: f.data.slice() };
        bad.data.fill(255);
        return bad;
      });
      req.onFrames?.(half);
      throw crash;
    }
    return super.renderSegment(req, signal);
  }
}

const killed = () =>
  new WorkerCrashedError(
    'engine process 4321 killed by SIGKILL during renderPuppetFrames; it is being restarted',
    'engine process 4321 killed by SIGKILL during renderPuppetFrames',
  );

async function run(worker: FakeWorker, cacheDir: string, strategy?: 'independent' | 'fused') {
  const { plan, poses } = setup(strategy);
  const cache = new SegmentCache(join(root, cacheDir));
  const delivered = new Map<number, RgbImage[]>();
  const retries: RetryReport[] = [];
  const result = runSegments({
    jobId: 'j',
    plan,
    cache,
    dispatcher: new Dispatcher([worker]),
    poses,
    deliver: async (seg, frames) => {
      delivered.set(seg.index, frames);
    },
    onRetry: (r) => retries.push(r),
  });
  return { plan, cache, delivered, retries, result };
}

describe('segment retry after a worker crash', () => {
  it('labels segments and groups with their frames, inclusive', () => {
    expect(segmentLabel([{ index: 3, start: 48, end: 64 }])).toBe('segment 3 (frames 48–63)');
    expect(
      segmentLabel([
        { index: 3, start: 48, end: 64 },
        { index: 5, start: 80, end: 96 },
      ]),
    ).toBe('segments 3–5 (frames 48–95)');
  });

  it('renders a crashed segment again from scratch: same frames and cache as a run without crash', async () => {
    const clean = await run(new FakeWorker('w', { width: W, height: H }), 'clean');
    await clean.result;
    const worker = new CrashingWorker('w', (seg, attempt) =>
      seg === 2 && attempt <= 2 ? killed() : null,
    );
    const crashed = await run(worker, 'crashed');
    await expect(crashed.result).resolves.toEqual({ rendered: 5, cached: 0 });
    expect(worker.attempts.get(2)).toBe(3);
    expect(crashed.retries.map((r) => r.message)).toEqual([
      'segment 2 (frames 16–23): engine process 4321 killed by SIGKILL during renderPuppetFrames; retry 1 of 2',
      'segment 2 (frames 16–23): engine process 4321 killed by SIGKILL during renderPuppetFrames; retry 2 of 2',
    ]);
    for (const seg of crashed.plan.segments) {
      const a = crashed.delivered.get(seg.index)!;
      const b = clean.delivered.get(seg.index)!;
      expect(a.map((f) => hashOf(f.data))).toEqual(b.map((f) => hashOf(f.data)));
      // The corrupted frames handed over by the failed attempts never reached the cache file.
      expect(readFileSync(crashed.cache.pathOf(seg.hash))).toEqual(
        readFileSync(clean.cache.pathOf(seg.hash)),
      );
    }
  });

  it('a segment that crashes its worker on every attempt fails the render in one line naming it', async () => {
    const worker = new CrashingWorker('w', (seg) => (seg === 3 ? killed() : null));
    const { result, retries, delivered } = await run(worker, 'always');
    const error = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SegmentFailedError);
    expect((error as Error).message).toBe(
      'segment 3 (frames 24–31): engine process 4321 killed by SIGKILL during renderPuppetFrames; failed on all 3 attempts',
    );
    expect((error as Error).message).not.toContain('\n');
    expect(worker.attempts.get(3)).toBe(3);
    expect(retries).toHaveLength(2);
    expect(delivered.has(3)).toBe(false);
  });

  it('does not retry a failure that is not a crash (bad input): one attempt, one line', async () => {
    const worker = new CrashingWorker('w', (seg) =>
      seg === 1 ? new Error('pose has a non-finite number\nat 12') : null,
    );
    const { result, retries } = await run(worker, 'bad-input');
    await expect(result).rejects.toThrow(
      /^segment 1 \(frames 8–15\): pose has a non-finite number at 12$/,
    );
    expect(worker.attempts.get(1)).toBe(1);
    expect(retries).toEqual([]);
  });

  it('never retries a cancel', async () => {
    const worker = new CrashingWorker('w', (seg) => (seg === 1 ? new CancelledError() : null));
    const { result } = await run(worker, 'cancel');
    await expect(result).rejects.toBeInstanceOf(CancelledError);
    expect(worker.attempts.get(1)).toBe(1);
  });

  it('retries a fusion group as a whole, naming the group', async () => {
    let calls = 0;
    const worker = new FakeWorker('g', { width: W, height: H });
    const renderGroup = worker.renderGroup.bind(worker);
    worker.renderGroup = async (requests, signal) => {
      if (requests[0]!.segment.index === 0 && ++calls === 1) throw killed();
      return renderGroup(requests, signal);
    };
    const { result, retries } = await run(worker, 'group', 'fused');
    await result;
    expect(calls).toBe(2);
    expect(retries.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^segments 0–2 \(frames 0–\d+\): engine process 4321 .*; retry 1 of 2$/,
      ),
    ]);
  });
});
