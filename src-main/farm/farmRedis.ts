import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ from a `redis://[:password@]host:port[/db]` URL. BullMQ's
 * blocking commands need `maxRetriesPerRequest: null`; a Redis that restarts is reconnected to
 * (ioredis retries with a back-off), so a farm survives a Redis restart if its data survives.
 */
export function farmRedis(url: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--farm/--redis must be a redis://host:port URL, got "${url.slice(0, 80)}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(
      `--farm/--redis must start with redis:// or rediss://, got "${parsed.protocol}"`,
    );
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    // A wrong password or an unreachable host must fail the command, not hang it: at most a few
    // seconds of reconnecting before the first connection counts as failed.
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Errors surface through the commands that fail; an unhandled 'error' event would crash.
  redis.on('error', () => undefined);
  return redis;
}

/** Waits until Redis answers (wrong password, wrong host: an error in the user's words). */
export async function checkRedis(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  const where = redactRedisUrl(url);
  let timer: NodeJS.Timeout | undefined;
  // ioredis keeps retrying a TLS handshake it cannot finish: the reason is only in its errors.
  let lastError: Error | undefined;
  const onError = (e: Error) => (lastError = e);
  redis.on('error', onError);
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              lastError ??
                new Error(`no answer from Redis at ${where} within ${timeoutMs / 1000} s`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    if (/certificate|self[- ]signed|SSL|TLS|handshake/i.test(m))
      throw new Error(
        `cannot reach Redis at ${where}: ${m} — if the farm's Redis uses your own certificate ` +
          'authority, point NODE_EXTRA_CA_CERTS at its CA file (PEM) on this machine',
        { cause: e },
      );
    if (/NOAUTH|WRONGPASS|invalid password/i.test(m))
      throw new Error(
        `Redis at ${where} refused the password: put it in the URL (redis://:password@host:port)`,
        { cause: e },
      );
    throw new Error(m.startsWith('no answer') ? m : `cannot reach Redis at ${where}: ${m}`, {
      cause: e,
    });
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(bad URL)';
  }
}
