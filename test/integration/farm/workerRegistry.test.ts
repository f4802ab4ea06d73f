import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farmRedis } from '#main/farm/farmRedis';
import { announceWorker, listWorkers, workerInfo } from '#main/farm/workerRegistry';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';

/** The workers' announcements are read from Redis, which anyone with its password can write. */
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('farm worker registry', () => {
  it('lists announced workers and skips entries that are not announcements', async () => {
    const client = farmRedis(redis.url);
    try {
      const leave = announceWorker(client, () => workerInfo('host-a:1', 2, ['cpu']));
      const prefix = 'pose-studio:farm:worker:';
      await client.set(`${prefix}bad-json`, '{not json');
      await client.set(`${prefix}no-name`, JSON.stringify({ host: 'x' }));
      await client.set(
        `${prefix}huge`,
        JSON.stringify({ name: 'h', host: 'h', pad: 'x'.repeat(20_000) }),
      );
      await client.set(
        `${prefix}odd`,
        JSON.stringify({
          name: 'odd:2',
          host: 'odd',
          concurrency: 'many',
          freeMemoryMb: 1e308 * 10,
          providers: ['cuda', 7, null],
          generators: 'puppet',
        }),
      );
      await expect.poll(async () => (await listWorkers(client)).length).toBe(2);
      const [a, odd] = await listWorkers(client);
      expect(a).toMatchObject({ name: 'host-a:1', concurrency: 2, providers: ['cpu'] });
      // Wrong types become empty values, never NaN, Infinity or non-strings.
      expect(odd).toEqual({
        name: 'odd:2',
        host: 'odd',
        concurrency: 0,
        providers: ['cuda'],
        freeMemoryMb: 0,
        generators: [],
      });
      await leave();
      expect((await listWorkers(client)).map((w) => w.name)).toEqual(['odd:2']);
    } finally {
      client.disconnect();
    }
  });
});
