import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher } from './workers/dispatcher';
import { FakeWorker, drawPoseFrame } from '#test/helpers/fakeWorker';
import { H, W, setup } from '#test/helpers/segmentPlans';
import { SegmentCache } from './cache/segmentCache';
import { runSegments } from './segmentRunner';

const root = mkdtempSync(join(tmpdir(), 'ps-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runSegments', () => {
  it('delivers every frame in order, from workers first and the cache afterwards', async () => {
    const cache = new SegmentCache(join(root, 'c1'));
    const workers = [
      new FakeWorker('a', { width: W, height: H }, 1),
      new FakeWorker('b', { width: W, height: H }),
    ];
    const dispatcher = new Dispatcher(workers);
    const { plan, poses, poseAt } = setup('independent');
    const got: number[] = [];
    const deliver = async (seg: { start: number }, frames: { data: Uint8Array }[]) => {
      frames.forEach((f, i) => {
        expect(f.data).toEqual(drawPoseFrame(poseAt(seg.start + i), W, H).data);
        got.push(seg.start + i);
      });
    };
    const r1 = await runSegments({ jobId: 'j', plan, cache, dispatcher, poses, deliver });
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(r1).toEqual({ rendered: 7, cached: 0 });
    expect(workers[0]!.rendered.length).toBeGreaterThan(0);
    expect(workers[1]!.rendered.length).toBeGreaterThan(0);
    got.length = 0;
    const r2 = await runSegments({ jobId: 'j', plan, cache, dispatcher, poses, deliver });
    expect(r2).toEqual({ rendered: 0, cached: 7 });
    expect(got).toHaveLength(50);
  });

  it('re-renders only the segment an edit touches', async () => {
    const cache = new SegmentCache(join(root, 'c2'));
    const dispatcher = new Dispatcher([new FakeWorker('a', { width: W, height: H })]);
    const a = setup('independent');
    await runSegments({
      jobId: 'j',
      plan: a.plan,
      cache,
      dispatcher,
      poses: a.poses,
      deliver: async () => {},
    });
    const b = setup('independent', 50, 20);
    const r = await runSegments({
      jobId: 'j',
      plan: b.plan,
      cache,
      dispatcher,
      poses: b.poses,
      deliver: async () => {},
    });
    expect(r).toEqual({ rendered: 1, cached: 6 });
  });

  it('keeps a bounded number of segments ahead of a slow consumer', async () => {
    const cache = new SegmentCache(join(root, 'c3'));
    const worker = new FakeWorker('a', { width: W, height: H });
    const dispatcher = new Dispatcher([worker]);
    const { plan, poses } = setup('independent', 80);
    let maxAhead = 0;
    await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      maxAhead: 3,
      deliver: async (seg) => {
        await new Promise((r) => setTimeout(r, 5));
        maxAhead = Math.max(maxAhead, worker.rendered.length - seg.index);
      },
    });
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it.each(['interleaved', 'chained', 'fused'] as const)(
    '%s: dependencies are rendered first and frames arrive in order',
    async (strategy) => {
      const cache = new SegmentCache(join(root, `c-${strategy}`));
      const worker = new FakeWorker('a', { width: W, height: H });
      const dispatcher = new Dispatcher([worker, new FakeWorker('b', { width: W, height: H })]);
      const { plan, poses } = setup(strategy);
      const starts: number[] = [];
      await runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher,
        poses,
        deliver: async (s) => void starts.push(s.start),
      });
      expect(starts).toEqual(plan.segments.map((s) => s.start));
    },
  );

  it('stops on cancel with CancelledError and keeps finished segments cached', async () => {
    const cache = new SegmentCache(join(root, 'c4'));
    const dispatcher = new Dispatcher([new FakeWorker('a', { width: W, height: H }, 2)]);
    const { plan, poses } = setup('independent');
    const ac = new AbortController();
    let delivered = 0;
    await expect(
      runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher,
        poses,
        signal: ac.signal,
        deliver: async () => {
          if (++delivered === 2) ac.abort();
        },
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver: async () => {},
    });
    expect(r.cached).toBeGreaterThanOrEqual(2);
    expect(r.rendered + r.cached).toBe(7);
  });

  it('reports a worker failure', async () => {
    const cache = new SegmentCache(join(root, 'c5'));
    const bad = new FakeWorker('a', { width: W, height: H });
    bad.renderSegment = async () => {
      throw new Error('engine crashed');
    };
    const { plan, poses } = setup('independent');
    await expect(
      runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher: new Dispatcher([bad]),
        poses,
        deliver: async () => {},
      }),
    ).rejects.toThrow('engine crashed');
  });
});

describe('runSegments on a shared dispatcher', () => {
  it('starts none of its queued work after one of its segments fails', async () => {
    const cache = new SegmentCache(join(root, 'c6'));
    const worker = new FakeWorker('a', { width: W, height: H }, 1);
    const original = worker.renderSegment.bind(worker);
    const log: string[] = [];
    worker.renderSegment = async (req, sig) => {
      log.push(`start ${req.segment.index}`);
      if (req.segment.index === 1) {
        log.push('fail');
        throw new Error('engine crashed');
      }
      return original(req, sig);
    };
    const dispatcher = new Dispatcher([worker]);
    const { plan, poses } = setup('independent', 80);
    await expect(
      runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher,
        poses,
        maxAhead: 4,
        deliver: async () => {},
      }),
    ).rejects.toThrow('engine crashed');
    await new Promise((r) => setTimeout(r, 100));
    expect(dispatcher.queued).toBe(0);
    expect(log.slice(log.indexOf('fail') + 1)).toEqual([]);
  });
});
