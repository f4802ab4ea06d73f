import type { FarmLane } from '#shared/render/farmStatus';

/**
 * Which worker rendered which segment, as the manager learns it: a worker reports its name when
 * it starts a segment (BullMQ job progress), the upload ends it. A segment that moves to another
 * worker (the first was killed, or the manager was restarted) leaves a failed block on the first
 * worker's lane, so the Render view shows what happened.
 */
export class FarmLanes {
  private readonly lanes: FarmLane[] = [];
  private readonly segments = new Map<string, { index: number; start: number; end: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The manager queued this segment (its job id is the hash). */
  queued(hash: string, segment: { index: number; start: number; end: number }): void {
    this.segments.set(hash, segment);
  }

  /** A worker said it started the segment `hash`. */
  started(hash: string, worker: string): void {
    const seg = this.segments.get(hash);
    if (!seg) return; // another render's job on the same queue
    const t = this.now();
    for (const l of this.lanes)
      if (l.index === seg.index && l.state === 'rendering' && l.worker !== worker) {
        l.state = 'failed';
        l.endedAt = t;
      }
    const open = this.lanes.some(
      (l) => l.index === seg.index && l.worker === worker && l.state === 'rendering',
    );
    if (!open) this.lanes.push({ worker, ...seg, state: 'rendering', startedAt: t, endedAt: null });
  }

  /** The segment arrived (`ok`) or failed on every try. */
  ended(hash: string, ok: boolean): void {
    const seg = this.segments.get(hash);
    if (!seg) return;
    const t = this.now();
    const lane = [...this.lanes]
      .reverse()
      .find((l) => l.index === seg.index && l.state === 'rendering');
    if (lane) {
      lane.state = ok ? 'done' : 'failed';
      lane.endedAt = t;
    } else if (ok)
      // Its start was not heard (the event stream was cut by a Redis restart).
      this.lanes.push({ worker: '(unknown)', ...seg, state: 'done', startedAt: t, endedAt: t });
  }

  snapshot(): FarmLane[] {
    return this.lanes.map((l) => ({ ...l }));
  }
}
