import type { FarmStatus } from '#shared/render/farmStatus';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import { FARM_DEFAULT_SLOTS, FarmManager } from './farmManager';

/** `host[:port]` (IPv6 in brackets) → the transfer server's address; undefined when malformed. */
export function parseListenAddress(text: string): { host: string; port?: number } | undefined {
  const m = /^([^:]+|\[[^\]]+\])(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] !== undefined ? Number(m[2]) : undefined;
  if (!m || (port !== undefined && port > 65535)) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), ...(port !== undefined ? { port } : {}) };
}

/**
 * The studio's way onto the farm: the services' `FarmPort` (src-main/services/api/ports.ts).
 * Services and the farm may not import each other, so the app and `serve` hand this to the
 * services, and the type is checked there. One FarmManager per render, closed when it ends.
 */
export function farmPort() {
  return {
    async connect(o: {
      redisUrl: string;
      listen?: string;
      advertise?: string;
      onNotice(message: string): void;
    }): Promise<{
      slots: number;
      startWorkers: StartWorkers;
      status(): Promise<FarmStatus>;
      close(): Promise<void>;
    }> {
      const listen = o.listen ? parseListenAddress(o.listen) : undefined;
      if (o.listen && !listen)
        throw new Error(
          `the farm listen address must be host or host:port, got "${o.listen.slice(0, 80)}"`,
        );
      const farm = await FarmManager.connect({
        redisUrl: o.redisUrl,
        transfer: { ...listen, ...(o.advertise ? { advertise: o.advertise } : {}) },
        onNotice: o.onNotice,
      });
      return {
        slots: FARM_DEFAULT_SLOTS,
        startWorkers: farm.startWorkers,
        status: () => farm.status(),
        // The render's workers close the farm when the dispatcher closes them; this covers a
        // render that failed before any worker started.
        close: () => farm.close(),
      };
    },
  };
}
