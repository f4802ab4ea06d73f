import type { RgbImage } from '#shared/image/rgbImage';
import { OrderingBarrier } from '#shared/render/barrier';
import { launchOrder, type RenderPlan, type Segment } from '#shared/render/plan';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher, Priority } from './workers/dispatcher';
import type { SegmentCache } from './cache/segmentCache';
import { SegmentEncoder } from './cache/segmentCodec';
import { type RetryReport, withSegmentRetries } from './segmentRetry';
import type { SegmentRequest } from '#shared/render/worker';

export type SegmentSource = 'cache' | 'rendered';

export interface RunSegmentsOptions {
  jobId: string;
  plan: RenderPlan;
  cache: SegmentCache;
  dispatcher: Dispatcher;
  priority?: number;
  /**
   * Segments started but not yet delivered (memory bound: at most this many segments of frames
   * are held, whatever the video's length). At least 2 so workers overlap with delivery.
   */
  maxAhead?: number;
  /** Poses of a window (called when a segment has to be rendered). */
  poses(segment: Segment): Float64Array[];
  /**
   * Receives each segment's frames in delivery order; awaited, so a slow consumer (the encoder)
   * slows rendering down instead of filling memory.
   */
  deliver(segment: Segment, frames: RgbImage[], source: SegmentSource): Promise<void>;
  /** Called when a worker starts rendering a segment. */
  onStart?(segment: Segment, workerId: string): void;
  /**
   * Times a segment (or fusion group) is rendered again after its worker's process died
   * (default DEFAULT_SEGMENT_RETRIES = 2); each retry is reported through `onRetry`.
   */
  retries?: number;
  onRetry?(report: RetryReport): void;
  signal?: AbortSignal;
}

export interface RunSegmentsResult {
  rendered: number;
  cached: number;
}

interface Done {
  frames: RgbImage[];
  source: SegmentSource;
}

/**
 * Drives one plan: each segment comes from the cache if its hash is there, otherwise from a worker
 * (and is then stored in the cache). Segments start in `launchOrder` so dependencies come first,
 * at most `maxAhead` are in flight or held, and an ordering barrier hands them to `deliver`
 * front to back. Coupled segments (a `fused` fusion group) are rendered together by one
 * `renderGroup` call and cached one by one.
 */
export async function runSegments(o: RunSegmentsOptions): Promise<RunSegmentsResult> {
  const { plan, cache, signal } = o;
  // Our own stop signal: follows the caller's, and also fires when a segment fails, so work of
  // this run still queued in a shared dispatcher is dropped and running workers stop.
  const stop = new AbortController();
  const follow = () => stop.abort();
  const fail = (e: unknown) => {
    failure ??= e;
    stop.abort();
  };
  signal?.addEventListener('abort', follow, { once: true });
  if (signal?.aborted) stop.abort();
  const maxAhead = Math.max(2, o.maxAhead ?? o.dispatcher.workers.length + 1);
  const order = launchOrder(plan);
  const completion = new Map<number, Promise<Done>>();
  const barrier = new OrderingBarrier<{ seg: Segment; done: Done }>(0);
  const counts = { rendered: 0, cached: 0 };
  let failure: unknown = null;
  // Wake-up of the loop below; a notify with nobody waiting is remembered, never lost.
  let wake: (() => void) | null = null;
  let woken = false;
  const notify = () => {
    woken = true;
    const w = wake;
    wake = null;
    w?.();
  };
  const sleep = () =>
    new Promise<void>((r) => {
      if (woken) r();
      else wake = r;
    }).then(() => {
      woken = false;
    });
  signal?.addEventListener('abort', notify, { once: true });

  const dependencies = async (seg: Segment): Promise<RgbImage[][]> =>
    Promise.all(
      seg.after.map(async (d) => {
        const own = completion.get(d);
        if (own) return (await own).frames;
        const frames = await cache.read(plan.segments[d]!);
        if (!frames) throw new Error(`segment ${d} (a dependency of ${seg.index}) is missing`);
        return frames;
      }),
    );

  const request = (seg: Segment, deps: RgbImage[][]): SegmentRequest => ({
    jobId: o.jobId,
    segment: seg,
    poses: o.poses(seg),
    dependencies: deps,
    plan: {
      strategy: plan.settings.strategy,
      segmentLength: plan.settings.segmentLength,
      segmentOverlap: plan.settings.segmentOverlap,
    },
  });
  const checkLength = (seg: Segment, frames: RgbImage[] | undefined): RgbImage[] => {
    if (frames?.length !== seg.end - seg.start)
      throw new Error(
        `worker returned ${frames?.length ?? 'no'} frames for segment ${seg.index}, expected ${seg.end - seg.start}`,
      );
    return frames;
  };

  const retryOptions = (sig: AbortSignal) => ({
    signal: sig,
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.onRetry ? { onRetry: o.onRetry } : {}),
  });

  const produceAlone = async (seg: Segment): Promise<Done> => {
    const cached = await cache.read(seg);
    if (cached) return { frames: cached, source: 'cache' };
    const deps = await dependencies(seg);
    // The worker's slot is held until the segment is in the cache: a worker never starts its next
    // segment while the previous one could still be lost, so a crash costs at most one segment
    // per worker.
    const frames = await o.dispatcher.submit(
      async (worker, sig) => {
        o.onStart?.(seg, worker.id);
        // A retry (the worker's engine died) renders the segment from scratch with a new
        // encoder: frames the failed attempt handed over early never reach the cache.
        const { rendered, encoder } = await withSegmentRetries(
          [seg],
          async () => {
            // Frames the worker hands over early start encoding for the cache while the rest of
            // the segment renders: the worker's slot (held until cached) is freed sooner.
            let encoder: SegmentEncoder | undefined = new SegmentEncoder();
            const onFrames = (frames: RgbImage[]) => {
              try {
                if (encoder) for (const f of frames) encoder.add(f);
              } catch {
                encoder = undefined; // odd frames: checked and encoded again at the end instead
              }
            };
            const rendered = checkLength(
              seg,
              await worker.renderSegment({ ...request(seg, deps), onFrames }, sig),
            );
            return { rendered, encoder };
          },
          retryOptions(sig),
        );
        await cache.write(seg, rendered, encoder);
        return rendered;
      },
      { priority: o.priority ?? Priority.final, signal: stop.signal },
    );
    return { frames, source: 'rendered' };
  };

  /**
   * A fusion group (a segment and its `coupled` ones): taken from the cache when every member is
   * there, otherwise rendered whole by one worker call — a member's pixels depend on the whole
   * group, so one missing member means the group is denoised again. Each member is still cached
   * on its own, so resume and incremental renders work per segment. The group's frames are held
   * until each member takes its own (memory ∝ group size: plans bound it by fusionGroupWindows).
   * A group that continues the previous one (held boundary: its first window is `after` the
   * previous group's last segment) waits for those frames before it takes a worker, so groups
   * render one after another and each is handed the frames it holds.
   */
  const groups = new Map<number, { done: Promise<Map<number, Done>>; waiting: number }>();
  const produceGroup = async (seg: Segment): Promise<Done> => {
    const members = [seg.index, ...seg.coupled].sort((a, b) => a - b);
    const key = members[0]!;
    let group = groups.get(key);
    if (!group) {
      group = { done: renderGroup(members.map((i) => plan.segments[i]!)), waiting: members.length };
      groups.set(key, group);
    }
    try {
      const frames = await group.done;
      const mine = frames.get(seg.index)!;
      frames.delete(seg.index); // held only until its member has it
      return mine;
    } finally {
      if (--group.waiting === 0) groups.delete(key);
    }
  };

  const renderGroup = async (segs: Segment[]): Promise<Map<number, Done>> => {
    const out = new Map<number, Done>();
    for (const s of segs) {
      const cached = await cache.read(s);
      if (!cached) break;
      out.set(s.index, { frames: cached, source: 'cache' });
    }
    if (out.size === segs.length) return out;
    out.clear();
    const deps = await Promise.all(segs.map(dependencies));
    // One dispatcher task for the whole group; the slot is held until every member is cached
    // (a crash costs at most one group per worker).
    const rendered = await o.dispatcher.submit(
      async (worker, sig) => {
        if (!worker.renderGroup)
          throw new Error(
            `segments ${segs.map((s) => s.index).join(', ')} are one fusion group (strategy ` +
              `"${plan.settings.strategy}"): they must be denoised together, and worker ` +
              `"${worker.id}" renders one segment at a time`,
          );
        const renderGroup = worker.renderGroup.bind(worker);
        for (const s of segs) o.onStart?.(s, worker.id);
        const checked = await withSegmentRetries(
          segs,
          async () => {
            const frames = await renderGroup(
              segs.map((s, k) => request(s, deps[k]!)),
              sig,
            );
            if (frames.length !== segs.length)
              throw new Error(
                `worker returned ${frames.length} segments for a fusion group of ${segs.length}`,
              );
            return segs.map((s, k) => checkLength(s, frames[k]));
          },
          retryOptions(sig),
        );
        for (const [k, s] of segs.entries()) await cache.write(s, checked[k]!);
        return checked;
      },
      { priority: o.priority ?? Priority.final, signal: stop.signal },
    );
    for (const [k, s] of segs.entries())
      out.set(s.index, { frames: rendered[k]!, source: 'rendered' });
    return out;
  };

  const produce = (seg: Segment): Promise<Done> =>
    seg.coupled.length > 0 ? produceGroup(seg) : produceAlone(seg);

  let next = 0; // position in launch order
  let inFlight = 0;
  let deliveredUpTo = 0;
  let chain = Promise.resolve();

  const launch = (seg: Segment) => {
    inFlight++;
    const p = produce(seg);
    completion.set(seg.index, p);
    p.then(
      (done) => {
        for (const r of barrier.push(seg.index, { seg, done })) {
          // Deliveries are chained: one at a time, in order.
          chain = chain.then(async () => {
            if (failure) return;
            await o.deliver(r.seg, r.done.frames, r.done.source);
            if (r.done.source === 'cache') counts.cached++;
            else counts.rendered++;
            deliveredUpTo = r.seg.index + 1;
            inFlight--;
            // Frames of delivered segments are only needed by later dependants, which re-read
            // them from the cache; drop them here so memory stays bounded.
            completion.delete(r.seg.index);
          });
          chain.catch(fail).finally(notify);
        }
        notify();
      },
      (e: unknown) => {
        fail(e);
        notify();
      },
    );
  };

  while (deliveredUpTo < plan.segments.length) {
    if (failure) break;
    if (signal?.aborted) {
      failure = new CancelledError();
      break;
    }
    while (next < order.length && inFlight < maxAhead) launch(plan.segments[order[next++]!]!);
    await sleep();
  }
  signal?.removeEventListener('abort', notify);
  signal?.removeEventListener('abort', follow);
  await chain.catch(() => undefined);
  if (failure) {
    stop.abort();
    // Let started segments settle (their workers were told to stop) before reporting.
    await Promise.allSettled([...completion.values()]);
    throw failure;
  }
  return counts;
}
