import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameHashes, killGroup, type JsonLine } from '#test/helpers/farmProcesses';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';
import { FarmTestSpace } from './farmSpace';

/**
 * The whole fault story on one 300-frame render, with real processes only: redis-server
 * (password, loopback, append-only file as docs/farm.md advises), three `pose-studio farm worker`
 * processes and the `pose-studio render --farm` manager.
 *   1. a worker is SIGKILLed mid-segment → its segment is rendered by another worker;
 *   2. the manager (CLI + everything it started) is SIGKILLed after a few segments →
 *      `render --resume --farm` re-attaches: finished segments come from the cache;
 *   3. Redis is SIGKILLed and restarted during the resumed render → everyone reconnects.
 * The video is frame for frame (ffmpeg framemd5) the local render's, every segment is in it once.
 */
const FRAMES = 300;
const SEGMENT = 20;
const SEGMENTS = FRAMES / SEGMENT;
const LOCK_MS = 2000;

const space = new FarmTestSpace();
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis({ persistent: true });
});
afterAll(async () => {
  space.dispose();
  await redis?.stop();
});

const cli = (args: string[], onLine?: (l: JsonLine) => void) => space.cli(args, onLine);

describe('render farm, 300 frames', () => {
  it('survives a killed worker, a killed and resumed manager and a Redis restart, frame for frame', async () => {
    const local = space.project('ps-farm300-local-', FRAMES, SEGMENT);
    const farmed = space.project('ps-farm300-farm-', FRAMES, SEGMENT);

    const localRun = cli([
      'render',
      local,
      '-o',
      join(local, 'renders', 'out'),
      '--format',
      'png',
      '--workers',
      '2',
    ]);
    const localResult = await localRun.exit;
    expect(localResult.stderr).toBe('');
    expect(localResult.code).toBe(0);
    const expected = frameHashes(join(local, 'renders', 'out'));
    expect(expected).toHaveLength(FRAMES);

    // 1. Three workers; the first to start a segment is SIGKILLed 200 ms later.
    const {
      workers,
      events,
      victim: victimOf,
    } = await space.workersWithVictim(redis.url, 3, LOCK_MS);

    const output = join(farmed, 'renders', 'out');
    const farmArgs = ['render', farmed, '-o', output, '--format', 'png', '--farm', redis.url];

    // 2. The manager is SIGKILLed once 4 segments are in the cache.
    let doneBeforeKill = 0;
    const first = cli([...farmArgs, '--json'], (l) => {
      if (l.type === 'segment' && ++doneBeforeKill === 4) killGroup(first.child);
    });
    const firstResult = await first.exit;
    expect(firstResult.signal).toBe('SIGKILL');
    expect(doneBeforeKill).toBeGreaterThanOrEqual(4);

    // 3. Resumed; Redis is SIGKILLed and restarted after 2 more segments.
    let doneAfterResume = 0;
    let restarted: Promise<void> | undefined;
    const resumed: JsonLine[] = [];
    const second = cli([...farmArgs, '--resume', '--json'], (l) => {
      resumed.push(l);
      if (l.type === 'segment' && l.source === 'rendered' && ++doneAfterResume === 2)
        restarted = (async () => {
          await redis.stop(true);
          redis = await redis.restart();
        })();
    });
    const secondResult = await second.exit;
    await restarted;
    expect(secondResult.code).toBe(0);
    // The Redis restart is told in words (once each way, if the manager noticed it: a quick
    // restart can pass between two commands), never as stack traces.
    const notices = secondResult.stderr.split('\n').filter(Boolean);
    for (const line of notices)
      expect(line).toMatch(/^pose-studio: (lost the connection to|reconnected to) Redis at /);
    expect(secondResult.stderr).not.toContain(redis.password);
    expect(restarted).toBeDefined();

    const finished = resumed.find((e) => e.type === 'finished')!;
    expect(finished.frames).toBe(FRAMES);
    // What the first manager finished was not rendered again.
    expect(finished.segmentsCached).toBeGreaterThanOrEqual(4);
    expect(Number(finished.segmentsCached) + Number(finished.segmentsRendered)).toBe(SEGMENTS);
    const fromCache = resumed.filter((e) => e.type === 'segment' && e.source === 'cache');
    expect(fromCache.length).toBe(finished.segmentsCached);

    // The killed worker never finished its segment; a surviving worker did.
    const victim = victimOf();
    expect(victim).toBeDefined();
    const done = events.filter((e) => e.type === 'segment-done');
    expect(done.some((e) => e.hash === victim!.hash && e.worker === victim!.worker)).toBe(false);
    expect(done.some((e) => e.hash === victim!.hash && e.accepted)).toBe(true);

    expect(frameHashes(output)).toEqual(expected);
    expect(readdirSync(output).filter((f) => f.endsWith('.png'))).toHaveLength(FRAMES);

    for (const w of workers) w.child.kill('SIGINT');
    await Promise.all(workers.map((w) => w.exit));
  }, 600_000);
});
