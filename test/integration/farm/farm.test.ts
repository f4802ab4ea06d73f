import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameHashes, type JsonLine } from '#test/helpers/farmProcesses';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';
import { summariseFarm, type FarmStatus } from '#shared/render/farmStatus';
import { FarmTestSpace } from './farmSpace';

/**
 * The farm end to end with real processes: redis-server (password, loopback, no persistence),
 * three `pose-studio farm worker` processes (each with its puppet engine process) and a
 * `pose-studio render --farm` manager. One worker is SIGKILLed (with its engine) while it renders
 * a segment: BullMQ's stalled-job check gives that segment to another worker, and the video is
 * frame for frame the local render's.
 *
 * 96 frames in 12 segments: short segments give every worker several. The 300-frame run,
 * with the manager and Redis killed too, is farmLong.test.ts.
 */
const FRAMES = 96;
const SEGMENT = 8;
const LOCK_MS = 2000;

const space = new FarmTestSpace();
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  space.dispose();
  await redis?.stop();
});

const cli = (args: string[], onLine?: (l: JsonLine) => void) => space.cli(args, onLine);

describe('render farm', () => {
  it("3 workers render a puppet project identical to a local render; a SIGKILLed worker's segment is rendered elsewhere", async () => {
    const local = space.project('ps-farm-local-', FRAMES, SEGMENT);
    const farmed = space.project('ps-farm-farm-', FRAMES, SEGMENT);

    const localRun = cli([
      'render',
      local,
      '-o',
      join(local, 'renders', 'out'),
      '--format',
      'png',
      '--workers',
      '1',
    ]);
    expect((await localRun.exit).code).toBe(0);

    const {
      workers,
      events,
      victim: victimOf,
    } = await space.workersWithVictim(redis.url, 3, LOCK_MS);

    const renderEvents: JsonLine[] = [];
    const farmRun = cli(
      [
        'render',
        farmed,
        '-o',
        join(farmed, 'renders', 'out'),
        '--format',
        'png',
        '--farm',
        redis.url,
        '--json',
      ],
      (l) => renderEvents.push(l),
    );
    const result = await farmRun.exit;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    // The killed worker never finished its segment; another worker did, and it was accepted once.
    const victim = victimOf();
    expect(victim).toBeDefined();
    const done = events.filter((e) => e.type === 'segment-done');
    expect(done.some((e) => e.hash === victim!.hash && e.worker === victim!.worker)).toBe(false);
    const redone = done.filter((e) => e.hash === victim!.hash && e.accepted);
    expect(redone).toHaveLength(1);
    expect(redone[0]!.worker).not.toBe(victim!.worker);

    // Nothing rendered twice into the output: one accepted upload per segment, 12 segments.
    const accepted = done.filter((e) => e.accepted).map((e) => e.hash);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted).toHaveLength(FRAMES / SEGMENT);
    const finished = renderEvents.find((e) => e.type === 'finished')!;
    expect(finished.segmentsRendered).toBe(FRAMES / SEGMENT);
    // More than one of the surviving workers took part.
    expect(new Set(done.map((e) => e.worker)).size).toBeGreaterThanOrEqual(2);

    // The farm status the Render view draws: every segment done on a surviving worker's lane,
    // the killed worker's segment left as a failed block on its lane, the workers announced.
    const farm = renderEvents.filter((e) => e.type === 'farm').at(-1) as unknown as FarmStatus;
    expect(farm.redis).not.toContain(redis.password);
    const doneLanes = farm.lanes.filter((l) => l.state === 'done');
    expect(new Set(doneLanes.map((l) => l.index)).size).toBe(FRAMES / SEGMENT);
    expect(doneLanes.some((l) => l.worker === victim!.worker)).toBe(false);
    expect(farm.lanes.some((l) => l.worker === victim!.worker && l.state === 'failed')).toBe(true);
    const survivors = new Set(done.map((e) => e.worker));
    for (const name of survivors)
      expect(farm.workers.find((w) => w.name === name)).toMatchObject({
        concurrency: 1,
        generators: ['puppet'],
      });
    expect(summariseFarm(farm).reduce((n, w) => n + w.framesDone, 0)).toBe(FRAMES);

    const a = frameHashes(join(local, 'renders', 'out'));
    const b = frameHashes(join(farmed, 'renders', 'out'));
    expect(a).toHaveLength(FRAMES);
    expect(b).toEqual(a);
    expect(
      readdirSync(join(farmed, 'renders', 'out')).filter((f) => f.endsWith('.png')),
    ).toHaveLength(FRAMES);

    for (const w of workers) w.child.kill('SIGINT');
    await Promise.all(workers.map((w) => w.exit));
  }, 180_000);
});
