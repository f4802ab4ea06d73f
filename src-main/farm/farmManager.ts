import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RgbImage } from '#shared/image/rgbImage';
import type { FarmStatus } from '#shared/render/farmStatus';
import { CancelledError } from '#shared/render/cancelled';
import type { PuppetCharacterSetup } from '#main/scheduler/workers/puppetWorker';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import { FARM_QUEUE, type FarmJob } from './farmJob';
import { checkRedis, farmRedis, redactRedisUrl } from './farmRedis';
import { FarmLanes } from './farmLanes';
import { listWorkers } from './workerRegistry';
import { TransferServer, type TransferServerOptions } from './transferServer';

/** Segments a render keeps on the farm at once unless `--workers` says otherwise. */
export const FARM_DEFAULT_SLOTS = 8;

export interface FarmManagerOptions {
  redisUrl: string;
  /** Where the transfer server listens and the address workers are told to use. */
  transfer?: TransferServerOptions;
  /** Tries per segment on the farm (a worker error or a worker that vanished), default 3. */
  attempts?: number;
  /**
   * How often a waiting segment checks that Redis still holds its job (default 5 s): a Redis
   * restarted without persistence forgets the queue, and the segment is queued again.
   */
  watchMs?: number;
  /**
   * Told once when the connection to Redis is lost and once when it is back, in the user's
   * words (without these listeners BullMQ prints every failed reconnect with a stack trace).
   */
  onNotice?(message: string): void;
}

/** Timing of one farm segment, for the bench: queue + transfer around the worker's render. */
export interface FarmSegmentTiming {
  index: number;
  totalMs: number;
  bytes: number;
}

/**
 * The manager's side of a farm render: one BullMQ queue, its event stream and the transfer
 * server, shared by the render's `FarmWorker`s. Closed when the last of them is closed (the
 * dispatcher closes every worker when the render ends).
 */
export class FarmManager {
  private open = 0;
  readonly timings: FarmSegmentTiming[] = [];
  /** Which worker rendered which segment, for the Render view and `--json`. */
  readonly lanes = new FarmLanes();

  private constructor(
    private readonly redis: Redis,
    private readonly eventsRedis: Redis,
    readonly queue: Queue,
    readonly events: QueueEvents,
    readonly transfer: TransferServer,
    readonly attempts: number,
    readonly watchMs: number,
    private readonly redisUrl: string,
  ) {
    events.on('progress', ({ jobId, data }) => {
      const worker = (data as { worker?: unknown } | null)?.worker;
      if (typeof worker === 'string') this.lanes.started(jobId, worker.slice(0, 200));
    });
  }

  /** The workers announced in Redis and the lanes of this render's segments. */
  async status(): Promise<FarmStatus> {
    return {
      redis: redactRedisUrl(this.redisUrl),
      workers: await listWorkers(this.redis).catch(() => []), // Redis down: none shown for now
      lanes: this.lanes.snapshot(),
    };
  }

  static async connect(options: FarmManagerOptions): Promise<FarmManager> {
    const redis = farmRedis(options.redisUrl);
    try {
      await checkRedis(redis, options.redisUrl);
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    const queue = new Queue(FARM_QUEUE, { connection: redis });
    // Its own connection: QueueEvents blocks on it (XREAD). BullMQ leaves connections it was
    // given open, so close() disconnects both.
    const eventsRedis = redis.duplicate();
    // A duplicate does not inherit listeners: without one, a Redis restart's ECONNRESET would be
    // an unhandled 'error' event and end the render.
    eventsRedis.on('error', () => undefined);
    const events = new QueueEvents(FARM_QUEUE, { connection: eventsRedis });
    // One listener per segment on the farm (FarmWorker), more than EventEmitter's default 10.
    events.setMaxListeners(0);
    watchConnection(redis, [queue, events], options);
    try {
      await events.waitUntilReady();
      const transfer = await TransferServer.start(options.transfer);
      return new FarmManager(
        redis,
        eventsRedis,
        queue,
        events,
        transfer,
        options.attempts ?? 3,
        options.watchMs ?? 5000,
        options.redisUrl,
      );
    } catch (e) {
      await events.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      eventsRedis.disconnect();
      redis.disconnect();
      throw e;
    }
  }

  /** The render's `StartWorkers`: `count` segments on the farm at a time. */
  readonly startWorkers: StartWorkers = async (count, setup, output) => {
    const character = await this.character(setup);
    this.open += count;
    return Array.from(
      { length: count },
      (_, i) => new FarmWorker(`farm-${i + 1}`, this, character, output),
    );
  };

  private async character(setup: PuppetCharacterSetup): Promise<FarmJob['character']> {
    const picture = await this.transfer.addAsset(setup.picturePath);
    const mask = setup.maskPath ? await this.transfer.addAsset(setup.maskPath) : undefined;
    return {
      picture,
      ...(mask ? { mask } : {}),
      ...(setup.layers ? { layers: setup.layers } : {}),
      referencePose: Array.from(setup.referencePose),
      // Transparent and coloured backgrounds render on the workers as they do here.
      ...(setup.background ? { background: setup.background } : {}),
    };
  }

  async release(): Promise<void> {
    if (--this.open > 0) return;
    await this.close();
  }

  async close(): Promise<void> {
    await this.transfer.close().catch(() => undefined);
    await this.events.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.eventsRedis.disconnect();
    this.redis.disconnect();
  }
}

/** Reports a lost and a regained Redis connection once each, instead of an error per retry. */
function watchConnection(
  redis: Redis,
  emitters: { on(event: 'error', l: (e: Error) => void): unknown }[],
  options: FarmManagerOptions,
): void {
  const where = redactRedisUrl(options.redisUrl);
  let lost = false;
  const onError = (e: Error) => {
    if (lost) return;
    lost = true;
    const code = (e as { code?: unknown }).code;
    options.onNotice?.(
      `lost the connection to Redis at ${where} (${typeof code === 'string' ? code : e.message}); reconnecting…`,
    );
  };
  for (const e of emitters) e.on('error', onError);
  redis.on('error', onError);
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    options.onNotice?.(`reconnected to Redis at ${where}`);
  });
}

/**
 * A `RenderWorker` whose engine is the farm: the segment goes to Redis as a BullMQ job whose id
 * is the segment's content hash (adding it twice is a no-op, so a segment is never queued twice),
 * and the frames come back as the encoded segment a farm worker uploads, checked by the transfer
 * server. The dispatcher, retries, cache, manifest and output stay the local render's.
 */
export class FarmWorker implements RenderWorker {
  constructor(
    readonly id: string,
    private readonly farm: FarmManager,
    private readonly character: FarmJob['character'],
    private readonly output: { width: number; height: number },
  ) {}

  async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    const { segment } = req;
    if (segment.after.length || segment.coupled.length)
      throw new Error(
        `segment ${segment.index} depends on other segments' frames: the farm renders puppet ` +
          'segments only (render this project without --farm)',
      );
    if (signal.aborted) throw new CancelledError();
    const began = Date.now();
    const { transfer, queue, events, attempts } = this.farm;
    const data: FarmJob = {
      version: 1,
      segment: {
        index: segment.index,
        hash: segment.hash,
        start: segment.start,
        end: segment.end,
        windowStart: segment.windowStart,
        windowEnd: segment.windowEnd,
      },
      output: this.output,
      character: this.character,
      poses: req.poses.map((p) => Array.from(p)),
      manager: { url: transfer.url, token: transfer.token },
    };
    const waiting = transfer.expectSegment(segment, this.output);
    this.farm.lanes.queued(segment.hash, segment);
    const cleanup: (() => void)[] = [waiting.release];
    try {
      const failed = new Promise<never>((_, reject) => {
        const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
          if (jobId !== segment.hash) return;
          this.farm.lanes.ended(segment.hash, false);
          reject(new Error(`segment ${segment.index} failed on the farm: ${failedReason}`));
        };
        events.on('failed', onFailed);
        cleanup.push(() => events.off('failed', onFailed));
      });
      const cancelled = new Promise<never>((_, reject) => {
        const onAbort = () => reject(new CancelledError());
        signal.addEventListener('abort', onAbort, { once: true });
        cleanup.push(() => signal.removeEventListener('abort', onAbort));
      });
      failed.catch(() => undefined);
      cancelled.catch(() => undefined);
      const enqueue = () =>
        queue.add('segment', data, {
          jobId: segment.hash,
          attempts,
          backoff: { type: 'fixed', delay: 250 },
          removeOnComplete: true,
          removeOnFail: true,
        });
      await enqueue();
      // Redis forgot the job (restarted without persistence): queue it again. Twice in a row,
      // so a job removed on its final failure (whose event is on its way) is not re-added.
      let missing = 0;
      const watch = setInterval(() => {
        queue
          .getJobState(segment.hash)
          .then((state) => {
            missing = state === 'unknown' ? missing + 1 : 0;
            if (missing >= 2) {
              missing = 0;
              return enqueue();
            }
          })
          .catch(() => undefined); // Redis down right now: the next tick asks again
      }, this.farm.watchMs);
      cleanup.push(() => clearInterval(watch));
      // The same segment queued by an earlier manager of this render (it crashed or was
      // restarted): adding it was a no-op, and the job (a worker may be rendering it) still names
      // the old manager. `add` answers with our data either way, so the stored job is read back.
      const stored = await queue.getJob(segment.hash).catch(() => undefined);
      if (stored && (stored.data as Partial<FarmJob>).manager?.token !== transfer.token)
        await stored.updateData(data).catch(() => undefined);
      const result = await Promise.race([waiting.result, failed, cancelled]);
      this.farm.lanes.ended(segment.hash, true);
      this.farm.timings.push({
        index: segment.index,
        totalMs: Date.now() - began,
        bytes: result.bytes,
      });
      return result.frames;
    } catch (e) {
      if (e instanceof CancelledError)
        // Best effort: a job not yet taken leaves the queue; one being rendered finishes and its
        // upload is refused (nobody waits for it).
        await queue.remove(segment.hash).catch(() => undefined);
      throw e;
    } finally {
      for (const c of cleanup) c();
    }
  }

  async close(): Promise<void> {
    await this.farm.release();
  }
}
