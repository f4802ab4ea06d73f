import { freemem, hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { FarmWorkerInfo } from '#shared/render/farmStatus';
import { availableProviders } from '#main/engine/providers';

/**
 * Farm workers announce themselves in Redis: one key per worker process holding what it can do
 * (providers, free memory, generators), with an expiry its heartbeat keeps pushing back. A worker
 * that is SIGKILLed or loses its machine disappears from the list after WORKER_TTL_MS; the
 * manager reads the list for the Render view. Keys only, no BullMQ internals.
 */
const PREFIX = 'pose-studio:farm:worker:';
export const WORKER_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;

/** `providers`: those the worker was limited to (`--gpu cpu`), else every one this build has. */
export function workerInfo(
  name: string,
  concurrency: number,
  providers?: string[],
): FarmWorkerInfo {
  return {
    name,
    host: hostname(),
    concurrency,
    providers: providers ?? availableProviders(),
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    // The farm renders puppet segments only (docs/farm.md, "Left out").
    generators: ['puppet'],
  };
}

/** Announces this worker until the returned function is called (which removes the key). */
export function announceWorker(redis: Redis, info: () => FarmWorkerInfo): () => Promise<void> {
  const key = PREFIX + info().name;
  const beat = () =>
    redis.set(key, JSON.stringify(info()), 'PX', WORKER_TTL_MS).catch(() => undefined); // Redis down: next beat
  void beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.del(key).catch(() => undefined);
  };
}

/** The workers announced now (unreadable entries, e.g. from another version, are skipped). */
export async function listWorkers(redis: Redis): Promise<FarmWorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0' && keys.length < 10_000);
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  const workers: FarmWorkerInfo[] = [];
  for (const v of values) {
    const w = parseWorker(v);
    if (w) workers.push(w);
  }
  return workers.sort((a, b) => a.name.localeCompare(b.name));
}

function parseWorker(text: string | null): FarmWorkerInfo | null {
  if (!text || text.length > 10_000) return null;
  try {
    const v = JSON.parse(text) as Partial<FarmWorkerInfo>;
    if (typeof v.name !== 'string' || typeof v.host !== 'string') return null;
    const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
    const strings = (a: unknown) =>
      Array.isArray(a) ? a.filter((s): s is string => typeof s === 'string').slice(0, 16) : [];
    return {
      name: v.name.slice(0, 200),
      host: v.host.slice(0, 200),
      concurrency: num(v.concurrency),
      providers: strings(v.providers),
      freeMemoryMb: num(v.freeMemoryMb),
      generators: strings(v.generators),
    };
  } catch {
    return null;
  }
}
