/**
 * The requests an engine process has not answered yet: gives each an id, matches answers and
 * progress messages to it, times out a request that stays silent (and kills the stuck process),
 * forwards an abort as a `cancel` message, and settles them all when the process is gone.
 */
import { ProgressSchema, type RequestBody, Response } from '#main/engine/protocol';
import type { EngineChannel } from '#main/engine/startEngineProcess';
import { EngineCrashedError, EngineRequestError } from './errors';

interface Pending {
  type: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Restarts the timeout (a progress message came: the engine is working, not stuck). */
  touch: () => void;
}

export class PendingRequests {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /**
   * Sends one request on `channel`. `timeoutMs` is the longest wait for an answer or a progress
   * message. With a `signal`, an abort sends `cancel` for this request; the engine then answers it
   * with an error of kind `cancelled` (after stopping its work), which is what this call rejects
   * with.
   */
  send(
    channel: EngineChannel,
    body: RequestBody,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const stuck = () => {
        // A request that never answers means a stuck engine: kill it (it restarts) and fail.
        this.pending.delete(id);
        pending.reject(
          new EngineCrashedError(
            `engine did not answer ${body.type} within ${timeoutMs} ms; restarting it`,
            `engine did not answer ${body.type} within ${Math.round(timeoutMs / 1000)} s (stuck; it was killed)`,
          ),
        );
        channel.kill();
      };
      const onAbort = () => {
        if (this.pending.has(id)) channel.send({ type: 'cancel', id: this.nextId++, target: id });
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const pending: Pending = {
        type: body.type,
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        timer: setTimeout(stuck, timeoutMs),
        touch: () => {
          clearTimeout(pending.timer);
          pending.timer = setTimeout(stuck, timeoutMs);
        },
      };
      this.pending.set(id, pending);
      if (!channel.send({ ...body, id })) {
        clearTimeout(pending.timer);
        this.pending.delete(id);
        reject(new EngineCrashedError('engine process is not connected'));
        return;
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A message from the running engine: an answer or a progress note for a pending request. */
  receive(msg: unknown): void {
    if (typeof msg === 'object' && msg !== null && 'progress' in msg) {
      const progress = ProgressSchema.safeParse(msg);
      if (progress.success) this.pending.get(progress.data.id)?.touch();
      return;
    }
    const parsed = Response.safeParse(msg);
    if (!parsed.success) return; // not ours to answer; a malformed reply is treated as no reply
    const p = this.pending.get(parsed.data.id);
    if (!p) return;
    this.pending.delete(parsed.data.id);
    clearTimeout(p.timer);
    if (parsed.data.ok) p.resolve(parsed.data.result);
    else p.reject(new EngineRequestError(parsed.data.error.message, parsed.data.error.kind));
  }

  /** Rejects every pending request with the error made from its type (the process is gone). */
  failAll(error: (type: string) => Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error(p.type));
      this.pending.delete(id);
    }
  }
}
