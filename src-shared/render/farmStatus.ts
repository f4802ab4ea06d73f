/**
 * What the Render view shows of a render on the farm: the machines taking part and the lanes of
 * segments each rendered, with throughput. Pure data and arithmetic; the manager (src-main/farm)
 * fills it from Redis, the CLI prints it, the studio draws it.
 */

/** A farm worker as it announces itself in Redis (refreshed every few seconds while it runs). */
export interface FarmWorkerInfo {
  /** `host:pid`, unique per worker process. */
  name: string;
  host: string;
  /** Segments it renders at once (engine processes). */
  concurrency: number;
  /** Execution providers its engine can use, best first (e.g. `cuda`, `cpu`). */
  providers: string[];
  /** Free memory of its machine when it last announced itself, in MB. */
  freeMemoryMb: number;
  /** Generators it renders. */
  generators: string[];
}

export type FarmLaneState = 'rendering' | 'done' | 'failed';

/** One segment on one worker: a block on that worker's lane. */
export interface FarmLane {
  worker: string;
  index: number;
  start: number;
  end: number;
  state: FarmLaneState;
  /** ms since the epoch. */
  startedAt: number;
  endedAt: number | null;
}

export interface FarmStatus {
  /** The Redis the farm uses, without its password (src-main/farm/farmRedis.ts redactRedisUrl). */
  redis: string;
  workers: FarmWorkerInfo[];
  lanes: FarmLane[];
}

export interface FarmWorkerSummary {
  name: string;
  /** The worker announced itself recently (false: it left or died; its lanes stay). */
  online: boolean;
  segmentsDone: number;
  framesDone: number;
  /** Frames it delivered per second of its busy time, or null before its first segment. */
  framesPerSecond: number | null;
  /** Segment indices it holds now. */
  rendering: number[];
}

/** Per worker: what it delivered and how fast, in lane order (first seen first). */
export function summariseFarm(status: FarmStatus): FarmWorkerSummary[] {
  const names = [...status.workers.map((w) => w.name), ...status.lanes.map((l) => l.worker)].filter(
    (n, i, all) => all.indexOf(n) === i,
  );
  const online = new Set(status.workers.map((w) => w.name));
  return names.map((name) => {
    const lanes = status.lanes.filter((l) => l.worker === name);
    const done = lanes.filter((l) => l.state === 'done' && l.endedAt !== null);
    const framesDone = done.reduce((n, l) => n + (l.end - l.start), 0);
    const busyMs = busyTime(done.map((l) => [l.startedAt, l.endedAt!] as const));
    return {
      name,
      online: online.has(name),
      segmentsDone: done.length,
      framesDone,
      framesPerSecond: busyMs > 0 ? (framesDone * 1000) / busyMs : null,
      rendering: lanes.filter((l) => l.state === 'rendering').map((l) => l.index),
    };
  });
}

/** The farm's frames per second over the span from its first segment to its last delivery. */
export function farmThroughput(status: FarmStatus): number | null {
  const done = status.lanes.filter((l) => l.state === 'done' && l.endedAt !== null);
  if (!done.length) return null;
  const from = Math.min(...status.lanes.map((l) => l.startedAt));
  const to = Math.max(...done.map((l) => l.endedAt!));
  const frames = done.reduce((n, l) => n + (l.end - l.start), 0);
  return to > from ? (frames * 1000) / (to - from) : null;
}

/**
 * The length of the union of time intervals: a worker rendering two segments at once is busy
 * once, not twice (its throughput is per machine, not per segment).
 */
export function busyTime(intervals: readonly (readonly [number, number])[]): number {
  const sorted = [...intervals].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
