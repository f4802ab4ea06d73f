import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segment } from '#shared/render/plan';
import { FarmManager } from '#main/farm/farmManager';
import { runFarmNode } from '#main/farm/farmNode';
import type { PuppetEngine } from '#main/scheduler/workers/puppetWorker';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';
import { SAMPLE_PROJECT } from '../render/helpers';

/** Faults of the farm against a real redis-server (the engines here are made to fail). */
let redis: RedisServer;
const dir = mkdtempSync(join(tmpdir(), 'ps-farm-faults-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const picture = join(SAMPLE_PROJECT, 'assets', 'sprout.png');
const segment = (hash: string): Segment => ({
  index: 4,
  role: 'chunk',
  windowStart: 0,
  windowEnd: 2,
  start: 0,
  end: 2,
  anchorFrame: 0,
  after: [],
  coupled: [],
  inputHash: hash,
  hash,
});
const pose = () => new Float64Array(136 * 3).fill(10);

describe('farm faults', () => {
  it('a segment that fails on every try fails the render with its reason, after the tries', async () => {
    const farm = await FarmManager.connect({ redisUrl: redis.url, attempts: 2 });
    const log: Record<string, unknown>[] = [];
    const stop = new AbortController();
    const broken: PuppetEngine = {
      setupCharacter: async () => ({
        characterId: 'c',
        width: 4,
        height: 4,
        setupMs: 0,
        warnings: [],
      }),
      renderPuppetFrames: async () => {
        throw new Error('the GPU ran out of memory');
      },
      close: async () => {},
    };
    const node = runFarmNode(
      {
        redisUrl: redis.url,
        concurrency: 1,
        cacheDir: join(dir, 'assets'),
        lockMs: 2000,
        log: (e) => log.push(e),
        startEngine: async () => broken,
      },
      stop.signal,
    );
    try {
      const [worker] = await farm.startWorkers(
        1,
        { picturePath: picture, referencePose: pose() },
        { width: 16, height: 16 },
      );
      const request = {
        jobId: 'j',
        segment: segment('1'.repeat(32)),
        poses: [pose(), pose()],
        dependencies: [],
      };
      await expect(worker!.renderSegment(request, new AbortController().signal)).rejects.toThrow(
        /segment 4 failed on the farm: the GPU ran out of memory/,
      );
      // Both tries ran (the worker's own event may come just after the queue's final one).
      await expect
        .poll(() => log.filter((e) => e.type === 'segment-failed').length, { timeout: 5000 })
        .toBe(2);
      // The job left the queue: the same segment can be queued again (a later render).
      expect(await farm.queue.getJob('1'.repeat(32))).toBeUndefined();
      await worker!.close();
    } finally {
      stop.abort();
      await node;
    }
  }, 60_000);

  it('a job that is not a valid render spec fails at once, without retries, naming the field', async () => {
    const farm = await FarmManager.connect({ redisUrl: redis.url });
    const log: Record<string, unknown>[] = [];
    const stop = new AbortController();
    let engines = 0;
    const node = runFarmNode(
      {
        redisUrl: redis.url,
        concurrency: 1,
        cacheDir: join(dir, 'assets2'),
        log: (e) => log.push(e),
        startEngine: async () => {
          engines++;
          throw new Error('no engine should start for a refused job');
        },
      },
      stop.signal,
    );
    try {
      await farm.queue.add(
        'segment',
        { version: 1, poses: 'rm -rf /', manager: { url: 'file:///etc/passwd' } },
        { jobId: '2'.repeat(32), attempts: 3, removeOnFail: true },
      );
      await expect
        .poll(() => log.filter((e) => e.type === 'segment-failed').length, { timeout: 10_000 })
        .toBe(1);
      expect(String(log.find((e) => e.type === 'segment-failed')!.message)).toMatch(
        /farm job refused: segment/,
      );
      expect(engines).toBe(0);
    } finally {
      stop.abort();
      await node;
      await farm.close();
    }
  }, 30_000);

  it('Redis restarted without persistence mid-render: the waiting segment is queued again and delivered', async () => {
    const farm = await FarmManager.connect({ redisUrl: redis.url, watchMs: 500 });
    const [worker] = await farm.startWorkers(
      1,
      { picturePath: picture, referencePose: pose() },
      { width: 16, height: 16 },
    );
    const hash = '3'.repeat(32);
    const request = {
      jobId: 'j',
      segment: segment(hash),
      poses: [pose(), pose()],
      dependencies: [],
    };
    const rendered = worker!.renderSegment(request, new AbortController().signal);
    await expect.poll(() => farm.queue.getJobState(hash), { timeout: 5000 }).toBe('waiting');
    // No worker yet; Redis dies (SIGKILL) and comes back empty on the same port.
    await redis.stop(true);
    redis = await redis.restart();
    const stop = new AbortController();
    const frames: PuppetEngine = {
      setupCharacter: async () => ({
        characterId: 'c',
        width: 16,
        height: 16,
        setupMs: 0,
        warnings: [],
      }),
      renderPuppetFrames: async ({ poses }) =>
        poses.map(() => ({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(7) })),
      close: async () => {},
    };
    const node = runFarmNode(
      {
        redisUrl: redis.url,
        concurrency: 1,
        cacheDir: join(dir, 'assets3'),
        log: () => {},
        startEngine: async () => frames,
      },
      stop.signal,
    );
    try {
      const got = await rendered;
      expect(got).toHaveLength(2);
      expect(got[0]!.data[0]).toBe(7);
    } finally {
      stop.abort();
      await node;
      await worker!.close();
    }
  }, 60_000);

  it('a manager restarted mid-render re-attaches to its segment still queued: the worker uploads to the new one', async () => {
    const setup = { picturePath: picture, referencePose: pose() };
    const size = { width: 16, height: 16 };
    const hash = '4'.repeat(32);
    const request = () => ({
      jobId: 'j',
      segment: segment(hash),
      poses: [pose(), pose()],
      dependencies: [],
    });
    // The first manager queues the segment and dies before any worker takes it.
    const first = await FarmManager.connect({ redisUrl: redis.url });
    const [lost] = await first.startWorkers(1, setup, size);
    lost!.renderSegment(request(), new AbortController().signal).catch(() => undefined);
    await expect.poll(() => first.queue.getJobState(hash), { timeout: 5000 }).toBe('waiting');
    await first.close();
    // The resumed render's manager queues the same segment: one job, pointed at it.
    const second = await FarmManager.connect({ redisUrl: redis.url });
    const [worker] = await second.startWorkers(1, setup, size);
    const rendered = worker!.renderSegment(request(), new AbortController().signal);
    await expect
      .poll(async () => (await second.queue.getJob(hash))?.data.manager.url, { timeout: 5000 })
      .toBe(second.transfer.url);
    const stop = new AbortController();
    const engine: PuppetEngine = {
      setupCharacter: async () => ({
        characterId: 'c',
        width: 16,
        height: 16,
        setupMs: 0,
        warnings: [],
      }),
      renderPuppetFrames: async ({ poses }) =>
        poses.map(() => ({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(9) })),
      close: async () => {},
    };
    const node = runFarmNode(
      {
        redisUrl: redis.url,
        concurrency: 1,
        cacheDir: join(dir, 'assets4'),
        log: () => {},
        startEngine: async () => engine,
      },
      stop.signal,
    );
    try {
      expect((await rendered)[1]!.data[5]).toBe(9);
      // Completed once the worker hears the upload was accepted; nothing left behind.
      await expect
        .poll(() => second.queue.getJobCounts('wait', 'active', 'failed'), { timeout: 5000 })
        .toEqual({
          wait: 0,
          active: 0,
          failed: 0,
        });
    } finally {
      stop.abort();
      await node;
      await worker!.close();
    }
  }, 60_000);

  it('a lost Redis connection is told once in words, and once when it is back', async () => {
    const notices: string[] = [];
    const farm = await FarmManager.connect({
      redisUrl: redis.url,
      onNotice: (m) => notices.push(m),
    });
    try {
      await redis.stop(true);
      await expect.poll(() => notices.length, { timeout: 15_000 }).toBe(1);
      redis = await redis.restart();
      await expect.poll(() => notices.length, { timeout: 20_000 }).toBe(2);
      expect(notices[0]).toMatch(
        /^lost the connection to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? \(.+\); reconnecting…$/,
      );
      expect(notices[1]).toMatch(/^reconnected to Redis at redis:\/\/:\*\*\*@/);
      expect(notices.join('\n')).not.toContain(redis.password);
    } finally {
      await farm.close();
    }
  }, 60_000);

  it('a wrong password or an unreachable Redis is said in words, without the password', async () => {
    const wrong = redis.url.replace(redis.password, 'not-the-password');
    await expect(FarmManager.connect({ redisUrl: wrong })).rejects.toThrow(
      /refused the password: put it in the URL/,
    );
    await expect(FarmManager.connect({ redisUrl: wrong })).rejects.not.toThrow(/not-the-password/);
    await expect(FarmManager.connect({ redisUrl: 'http://localhost' })).rejects.toThrow(
      /redis:\/\//,
    );
    await expect(FarmManager.connect({ redisUrl: 'not a url' })).rejects.toThrow(
      /redis:\/\/host:port/,
    );
  }, 30_000);
});
