import { availableParallelism, hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { EngineClient } from '#main/engine/client/engineClient';
import type { Segment } from '#shared/render/plan';
import { encodeSegment, segmentHeader } from '#main/scheduler/cache/segmentCodec';
import { PuppetWorker, type PuppetEngine } from '#main/scheduler/workers/puppetWorker';
import { engineThreads } from '#main/scheduler/workers/workers';
import { AssetCache } from './assetCache';
import { FARM_QUEUE, parseFarmJob, type FarmJob, type FarmJobResult } from './farmJob';
import { checkRedis, farmRedis } from './farmRedis';
import { announceWorker, workerInfo } from './workerRegistry';
import { sha256 } from './fileHash';

export interface FarmNodeOptions {
  redisUrl: string;
  /** Segments rendered at once on this machine (one engine process each). */
  concurrency: number;
  /** Where fetched inputs are kept, by sha-256. */
  cacheDir: string;
  /**
   * How long a job's lock lasts without renewal; a worker that dies (SIGKILL, power cut) holds
   * its segment this long before another worker may take it. BullMQ renews it every half.
   */
  lockMs?: number;
  /** How often this worker looks for segments whose worker vanished. */
  stalledCheckMs?: number;
  /** A line per event (JSON), for the terminal and the tests. */
  log(event: Record<string, unknown>): void;
  /** `cpu`: never use a GPU provider (a machine whose GPU is busy with other work). */
  gpu?: 'auto' | 'cpu';
  /** How long a manager may not answer before its segments fail (default 10 min). */
  managerGoneMs?: number;
  /** The engines (tests pass their own to count them; default: puppet engine processes). */
  startEngine?(threads: number): Promise<PuppetEngine>;
}

/** A segment whose manager does not answer is tried again this often… */
const MANAGER_RETRY_MS = 2000;
/** …for this long (a manager being restarted by hand, or a laptop waking up). */
const MANAGER_GONE_MS = 10 * 60_000;

/** The manager could not be reached at all (as opposed to answering with an error). */
export function managerUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'TimeoutError') return true; // AbortSignal.timeout on a fetch
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return (
    (e instanceof TypeError && e.message === 'fetch failed') ||
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|ETIMEDOUT|EPIPE|UND_ERR_)/.test(
        code,
      ))
  );
}

/** One engine and the character it holds (a new character is set up when a job names another). */
interface Slot {
  engine: PuppetEngine;
  key: string;
  worker: PuppetWorker | null;
}

/**
 * A farm worker: takes segment jobs from the Redis queue, fetches their inputs by hash, renders
 * them with the local puppet engine (the same `PuppetWorker` a local render uses, so the frames
 * are the same bytes) and uploads the encoded segment to the manager that queued it. Resolves
 * when `signal` aborts (jobs being rendered finish first; Ctrl-C twice or a kill ends at once and
 * BullMQ gives their segments to another worker after the lock runs out).
 */
export async function runFarmNode(o: FarmNodeOptions, signal: AbortSignal): Promise<void> {
  const redis = farmRedis(o.redisUrl);
  try {
    await checkRedis(redis, o.redisUrl);
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const name = `${hostname()}:${process.pid}`;
  const assets = new AssetCache(o.cacheDir);
  const threads = engineThreads(o.concurrency, availableParallelism());
  const providers = o.gpu === 'cpu' ? ['cpu'] : undefined;
  const startEngine =
    o.startEngine ??
    ((t: number) => EngineClient.start({ threads: t, ...(providers ? { providers } : {}) }));
  const free: Slot[] = [];
  const all: Promise<Slot>[] = [];
  const take = async (): Promise<Slot> => {
    const slot = free.pop();
    if (slot) return slot;
    const started = startEngine(threads).then((engine) => ({ engine, key: '', worker: null }));
    all.push(started);
    return started;
  };

  const renderOnce = async (job: Job): Promise<FarmJobResult> => {
    let spec: FarmJob;
    try {
      spec = parseFarmJob(job.data);
    } catch (e) {
      // A job this worker cannot read fails at once: trying it elsewhere gives the same answer.
      throw new UnrecoverableError((e as Error).message);
    }
    const { segment, manager } = spec;
    const t0 = Date.now();
    // The manager's Render view draws this segment on this worker's lane.
    await job.updateProgress({ worker: name }).catch(() => undefined);
    o.log({ type: 'segment-start', hash: segment.hash, index: segment.index, worker: name });
    const picturePath = await assets.get(spec.character.picture, manager);
    const maskPath = spec.character.mask
      ? await assets.get(spec.character.mask, manager)
      : undefined;
    const slot = await take();
    try {
      const key = JSON.stringify([spec.character, spec.output]);
      if (slot.key !== key || !slot.worker) {
        slot.worker = new PuppetWorker(
          `farm-${name}`,
          slot.engine,
          {
            picturePath,
            referencePose: Float64Array.from(spec.character.referencePose),
            ...(maskPath ? { maskPath } : {}),
            ...(spec.character.layers ? { layers: spec.character.layers } : {}),
            ...(spec.character.background ? { background: spec.character.background } : {}),
          },
          spec.output,
        );
        slot.key = key;
      }
      const full: Segment = {
        ...segment,
        role: 'chunk',
        anchorFrame: segment.windowStart,
        after: [],
        coupled: [],
        inputHash: segment.hash,
      };
      const frames = await slot.worker.renderSegment(
        {
          jobId: String(job.id),
          segment: full,
          poses: spec.poses.map((p) => Float64Array.from(p)),
          dependencies: [],
        },
        // Never cut short: a stopping worker finishes the segments it holds (worker.close()).
        new AbortController().signal,
      );
      const t1 = Date.now();
      const encoded = await encodeSegment(segmentHeader(full, frames), frames);
      const digest = sha256(encoded);
      const t2 = Date.now();
      const res = await fetch(`${manager.url}/segments/${segment.hash}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${manager.token}`,
          'x-content-sha256': digest,
          'content-type': 'application/octet-stream',
        },
        body: encoded,
        signal: AbortSignal.timeout(120_000),
      });
      const answer = await res.text();
      // 409: the manager has this segment already (another worker's copy arrived first, or the
      // render moved on): nothing to deliver, and nothing to retry.
      if (!res.ok && res.status !== 409)
        throw new Error(`the manager refused segment ${segment.index}: ${answer}`);
      o.log({
        type: 'segment-done',
        hash: segment.hash,
        index: segment.index,
        worker: name,
        bytes: encoded.length,
        accepted: res.ok,
        // Where the time went: inputs + engine, encoding, upload (for the bench and for tuning).
        renderMs: t1 - t0,
        encodeMs: t2 - t1,
        uploadMs: Date.now() - t2,
      });
      return { sha256: digest, bytes: encoded.length, worker: name };
    } finally {
      free.push(slot);
    }
  };

  /**
   * A manager that does not answer (killed, restarting, its machine asleep) is not the segment's
   * fault: the job waits 2 s in BullMQ's delayed set without using up one of its tries, and takes
   * the job's data afresh when it comes back, so a resumed manager (which points the job at its
   * new address) gets it. Only after MANAGER_GONE_MS of silence does the segment fail.
   */
  const render = async (job: Job, token?: string): Promise<FarmJobResult> => {
    try {
      return await renderOnce(job);
    } catch (e) {
      if (!token || !managerUnreachable(e)) throw e;
      const progress = job.progress as { managerUnreachableSince?: unknown } | undefined;
      const since =
        typeof progress?.managerUnreachableSince === 'number'
          ? progress.managerUnreachableSince
          : Date.now();
      const where = (job.data as Partial<FarmJob>).manager?.url ?? 'the manager';
      if (Date.now() - since > (o.managerGoneMs ?? MANAGER_GONE_MS))
        throw new UnrecoverableError(
          `the manager at ${where} has not answered for ${Math.round((Date.now() - since) / 60_000)} min`,
        );
      await job.updateProgress({ worker: name, managerUnreachableSince: since });
      o.log({
        type: 'segment-waiting',
        hash: job.id,
        worker: name,
        message: `the manager at ${where} does not answer; the segment waits for it`,
      });
      await job.moveToDelayed(Date.now() + MANAGER_RETRY_MS, token);
      throw new DelayedError();
    }
  };

  const worker = new Worker(FARM_QUEUE, render, {
    connection: redis,
    concurrency: o.concurrency,
    lockDuration: o.lockMs ?? 30_000,
    stalledInterval: o.stalledCheckMs ?? 15_000,
    // A segment whose worker vanished twice is still tried a third time: machines die at night.
    maxStalledCount: 2,
    name,
  });
  worker.on('error', (e) => o.log({ type: 'error', message: e.message }));
  worker.on('failed', (job, e) =>
    o.log({ type: 'segment-failed', hash: job?.id, message: e.message, worker: name }),
  );
  await worker.waitUntilReady();
  const leave = announceWorker(redis, () => workerInfo(name, o.concurrency, providers));
  o.log({ type: 'ready', worker: name, concurrency: o.concurrency });
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await worker.close();
  await leave();
  const slots = await Promise.allSettled(all);
  await Promise.all(
    slots.map((s) =>
      s.status === 'fulfilled' ? s.value.engine.close().catch(() => undefined) : undefined,
    ),
  );
  redis.disconnect();
}
