// The segment runner with fusion groups (`fused`): one worker call per group, and groups joined by
// held boundaries (diffusion). The plain runner is in segmentRunner.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { CancelledError } from '#shared/render/cancelled';
import { hashOf } from '#shared/render/hash';
import { planRender } from '#shared/render/plan';
import type { RenderWorker } from '#shared/render/worker';
import { Dispatcher } from './workers/dispatcher';
import { FakeWorker, drawPoseFrame } from '#test/helpers/fakeWorker';
import { H, W, pose, setup } from '#test/helpers/segmentPlans';
import { SegmentCache } from './cache/segmentCache';
import { runSegments } from './segmentRunner';

const root = mkdtempSync(join(tmpdir(), 'ps-runner-fusion-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runSegments with fusion groups (fused)', () => {
  // 50 frames, T = 8, O = 2: 8 windows; groups of 3 → [0 1 2] [3 4 5] [6 7].
  const groupsOf = (plan: ReturnType<typeof setup>['plan']) => [
    ...new Set(
      plan.segments.map((s) => JSON.stringify([s.index, ...s.coupled].sort((a, b) => a - b))),
    ),
  ];

  it('renders each group in one worker call, caches every segment, then reads them back', async () => {
    const cache = new SegmentCache(join(root, 'g1'));
    const workers = [
      new FakeWorker('a', { width: W, height: H }, 1),
      new FakeWorker('b', { width: W, height: H }),
    ];
    const dispatcher = new Dispatcher(workers);
    const { plan, poses, poseAt } = setup('fused', 50, undefined, 3);
    expect(groupsOf(plan)).toEqual(['[0,1,2]', '[3,4,5]', '[6,7]']);
    const got: number[] = [];
    const started: number[] = [];
    const deliver = async (seg: { start: number }, frames: { data: Uint8Array }[]) => {
      frames.forEach((f, i) => {
        expect(f.data).toEqual(drawPoseFrame(poseAt(seg.start + i), W, H).data);
        got.push(seg.start + i);
      });
    };
    const r1 = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver,
      maxAhead: 2,
      onStart: (s) => started.push(s.index),
    });
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(r1).toEqual({ rendered: 8, cached: 0 });
    const calls = [...workers[0]!.groups, ...workers[1]!.groups].map((g) => JSON.stringify(g));
    expect(calls.sort()).toEqual(['[0,1,2]', '[3,4,5]', '[6,7]']);
    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const seg of plan.segments) expect(await cache.has(seg.hash)).toBe(true);

    got.length = 0;
    const r2 = await runSegments({ jobId: 'j', plan, cache, dispatcher, poses, deliver });
    expect(r2).toEqual({ rendered: 0, cached: 8 });
    expect(got).toHaveLength(50);
    expect(workers[0]!.groups.length + workers[1]!.groups.length).toBe(3);
  });

  it('a missing segment of a group (killed render) re-renders that whole group, nothing else', async () => {
    const cache = new SegmentCache(join(root, 'g2'));
    const worker = new FakeWorker('a', { width: W, height: H });
    const dispatcher = new Dispatcher([worker]);
    const { plan, poses } = setup('fused', 50, undefined, 3);
    await runSegments({ jobId: 'j', plan, cache, dispatcher, poses, deliver: async () => {} });
    rmSync(cache.pathOf(plan.segments[4]!.hash));
    worker.groups.length = 0;
    const sources: string[] = [];
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver: async (s, _f, source) => void sources.push(`${s.index}:${source}`),
    });
    expect(worker.groups).toEqual([[3, 4, 5]]);
    expect(r).toEqual({ rendered: 3, cached: 5 });
    expect(sources).toEqual([
      '0:cache',
      '1:cache',
      '2:cache',
      '3:rendered',
      '4:rendered',
      '5:rendered',
      '6:cache',
      '7:cache',
    ]);
    expect(await cache.has(plan.segments[4]!.hash)).toBe(true);
  });

  it('a render cancelled mid-group resumes with finished groups from the cache', async () => {
    const cache = new SegmentCache(join(root, 'g3'));
    const worker = new FakeWorker('a', { width: W, height: H }, 2);
    const dispatcher = new Dispatcher([worker]);
    const { plan, poses } = setup('fused', 50, undefined, 3);
    const ac = new AbortController();
    await expect(
      runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher,
        poses,
        signal: ac.signal,
        deliver: async (s) => {
          if (s.index === 3) ac.abort(); // group [3 4 5] delivered in part; [6 7] not started
        },
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    worker.groups.length = 0;
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver: async () => {},
    });
    expect(worker.groups).toEqual([[6, 7]]);
    expect(r).toEqual({ rendered: 2, cached: 6 });
  });

  it('a worker that renders one segment at a time refuses a coupled segment, naming the group', async () => {
    const cache = new SegmentCache(join(root, 'g4'));
    const fake = new FakeWorker('single', { width: W, height: H });
    const single: RenderWorker = {
      id: 'single',
      renderSegment: (req, sig) => fake.renderSegment(req, sig),
      close: async () => {},
    };
    const { plan, poses } = setup('fused', 50, undefined, 3);
    await expect(
      runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher: new Dispatcher([single]),
        poses,
        deliver: async () => {},
      }),
    ).rejects.toThrow(
      /segments 0, 1, 2 are one fusion group.*"single" renders one segment at a time/,
    );
    expect(fake.rendered).toEqual([]);
  });

  it('hands each request the plan strategy, window and overlap', async () => {
    const cache = new SegmentCache(join(root, 'g5'));
    const worker = new FakeWorker('a', { width: W, height: H });
    const seen: unknown[] = [];
    const original = worker.renderSegment.bind(worker);
    worker.renderSegment = async (req, sig) => {
      seen.push(req.plan);
      return original(req, sig);
    };
    const { plan, poses } = setup('fused', 20, undefined, 2);
    await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher: new Dispatcher([worker]),
      poses,
      deliver: async () => {},
    });
    expect(seen.length).toBe(plan.segments.length);
    expect(seen[0]).toEqual({ strategy: 'fused', segmentLength: 8, segmentOverlap: 2 });
  });
});

describe('runSegments with fusion groups joined by held boundaries (fused, diffusion)', () => {
  // 50 frames, T = 8, O = 2: windows 0 6 … 36, 42; groups of 3 → [0 1 2] [3 4 5] [6 7]; the
  // first window of each later group is `after` the previous group's last segment.
  const joined = (edit?: number) => {
    const poseAt = (f: number) => pose(f, f === edit ? 7 : 0);
    const plan = planRender(
      {
        from: 0,
        to: 50,
        segmentLength: 8,
        segmentOverlap: 2,
        strategy: 'fused',
        anchorFrame: -1,
        fusionGroupWindows: 3,
        holdGroupBoundaries: true,
      },
      { frameHash: (f) => hashOf(poseAt(f)), settingsHash: 's' },
    );
    const poses = (s: { windowStart: number; windowEnd: number }) =>
      Array.from({ length: s.windowEnd - s.windowStart }, (_, i) => poseAt(s.windowStart + i));
    return { plan, poses };
  };
  /** A FakeWorker whose group calls are logged as they start and end. */
  const logged = (id: string, log: string[]) => {
    const w = new FakeWorker(id, { width: W, height: H }, 1);
    const renderGroup = w.renderGroup.bind(w);
    w.renderGroup = async (reqs, sig) => {
      const name = reqs.map((r) => r.segment.index).join('');
      log.push(`start ${name}`);
      const out = await renderGroup(reqs, sig);
      log.push(`end ${name}`);
      return out;
    };
    return w;
  };

  it('renders groups in order, each handed the previous group’s frames, and delivers every frame once', async () => {
    const cache = new SegmentCache(join(root, 'h1'));
    const log: string[] = [];
    const workers = [logged('a', log), logged('b', log)];
    const { plan, poses } = joined();
    expect(plan.segments.map((s) => s.after)).toEqual([[], [], [], [2], [], [], [5], []]);
    const delivered = new Map<number, RgbImage[]>();
    const frames: number[] = [];
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher: new Dispatcher(workers),
      poses,
      maxAhead: 8,
      deliver: async (s, f) => {
        delivered.set(s.index, f);
        for (let k = s.start; k < s.end; k++) frames.push(k);
      },
    });
    expect(r).toEqual({ rendered: 8, cached: 0 });
    expect(frames).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // Two idle workers, yet a group starts only when the one it continues has finished.
    expect(log).toEqual(['start 012', 'end 012', 'start 345', 'end 345', 'start 67', 'end 67']);
    const deps = new Map([...workers[0]!.dependencies, ...workers[1]!.dependencies]);
    for (const [i, d] of [
      [3, 2],
      [6, 5],
    ] as const) {
      expect(deps.get(i)).toHaveLength(1);
      expect(deps.get(i)![0]!.map((f) => f.data)).toEqual(delivered.get(d)!.map((f) => f.data));
      // the frames it holds, [windowStart, start), are the end of what it is handed
      const seg = plan.segments[i]!;
      expect(plan.segments[d]!.end).toBe(seg.start);
      expect(seg.start - seg.windowStart).toBe(2);
    }
    for (const i of [0, 1, 2, 4, 5, 7]) expect(deps.get(i)).toEqual([]);
  });

  it('a killed render: the group that lost a member re-renders, then its dependants, with the frames they continue from the cache', async () => {
    const cache = new SegmentCache(join(root, 'h2'));
    const log: string[] = [];
    const worker = logged('a', log);
    const dispatcher = new Dispatcher([worker]);
    const { plan, poses } = joined();
    await runSegments({ jobId: 'j', plan, cache, dispatcher, poses, deliver: async () => {} });
    // As after a kill during group [3 4 5]: segment 4 never written, group [6 7] never started.
    for (const i of [4, 6, 7]) rmSync(cache.pathOf(plan.segments[i]!.hash));
    log.length = 0;
    worker.dependencies.clear();
    const sources: string[] = [];
    const r = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver: async (s, _f, source) => void sources.push(`${s.index}:${source}`),
    });
    expect(log).toEqual(['start 345', 'end 345', 'start 67', 'end 67']);
    expect(r).toEqual({ rendered: 5, cached: 3 });
    expect(sources).toEqual([
      '0:cache',
      '1:cache',
      '2:cache',
      '3:rendered',
      '4:rendered',
      '5:rendered',
      '6:rendered',
      '7:rendered',
    ]);
    const cached2 = (await cache.read(plan.segments[2]!))!;
    expect(worker.dependencies.get(3)![0]!.map((f) => f.data)).toEqual(cached2.map((f) => f.data));
    // A group whose members are all cached under unchanged hashes is read back, not re-rendered
    // (deterministic frames: the same inputs and the same previous group give the same pixels).
    rmSync(cache.pathOf(plan.segments[4]!.hash));
    log.length = 0;
    const again = await runSegments({
      jobId: 'j',
      plan,
      cache,
      dispatcher,
      poses,
      deliver: async () => {},
    });
    expect(log).toEqual(['start 345', 'end 345']);
    expect(again).toEqual({ rendered: 3, cached: 5 });
  });

  it('an edit in group g re-renders g and the groups after it, not the ones before', async () => {
    const cache = new SegmentCache(join(root, 'h3'));
    const log: string[] = [];
    const dispatcher = new Dispatcher([logged('a', log)]);
    const before = joined();
    await runSegments({ jobId: 'j', ...before, cache, dispatcher, deliver: async () => {} });
    log.length = 0;
    const after = joined(24); // frame 24: windows 3 and 4 (group [3 4 5]) only
    const r = await runSegments({
      jobId: 'j',
      ...after,
      cache,
      dispatcher,
      deliver: async () => {},
    });
    expect(log).toEqual(['start 345', 'end 345', 'start 67', 'end 67']);
    expect(r).toEqual({ rendered: 5, cached: 3 });
  });
  it('caches frames a worker hands over early exactly as frames encoded at the end', async () => {
    /** Streams its frames in batches of 3 (or, `decoy`, streams copies it does not return). */
    class StreamingWorker implements RenderWorker {
      constructor(
        readonly id: string,
        private readonly decoy = false,
      ) {}
      async renderSegment(req: Parameters<RenderWorker['renderSegment']>[0]) {
        const { segment } = req;
        const out: RgbImage[] = [];
        for (let f = segment.start; f < segment.end; f += 3) {
          const batch = req.poses
            .slice(f - segment.windowStart, Math.min(f + 3, segment.end) - segment.windowStart)
            .map((p) => drawPoseFrame(p, W, H));
          out.push(...batch);
          req.onFrames?.(
            this.decoy ? batch.map((b) => ({ ...b, data: new Uint8Array(b.data.length) })) : batch,
          );
          await new Promise((r) => setTimeout(r, 1));
        }
        return out;
      }
      async close() {}
    }
    const { plan, poses } = setup('independent', 20);
    for (const decoy of [false, true]) {
      const cache = new SegmentCache(join(root, `stream-${decoy}`));
      const dispatcher = new Dispatcher([new StreamingWorker('s', decoy)]);
      await runSegments({
        jobId: 'j',
        plan,
        cache,
        dispatcher,
        poses,
        deliver: async () => undefined,
      });
      const reference = new SegmentCache(join(root, `stream-ref-${decoy}`));
      for (const seg of plan.segments) {
        const frames = poses(seg)
          .slice(seg.start - seg.windowStart, seg.end - seg.windowStart)
          .map((p) => drawPoseFrame(p, W, H));
        await reference.write(seg, frames);
        const a = readFileSync(cache.pathOf(seg.hash));
        const b = readFileSync(reference.pathOf(seg.hash));
        // Streamed frames that are not the returned ones (decoy) are ignored: the file is right.
        expect(a.equals(b)).toBe(true);
      }
    }
  });
});
