import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import { CancelledError } from '#shared/render/cancelled';
import type { RgbImage } from '#shared/image/rgbImage';
import type { RenderWorker } from '#shared/render/worker';

/** Previews jump the queue ahead of final renders. */
export const Priority = { final: 0, preview: 10 } as const;

interface QueuedTask {
  priority: number;
  seq: number;
  signal: AbortSignal | undefined;
  run: (worker: RenderWorker, signal: AbortSignal) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onAbort: () => void;
}

/**
 * Hands tasks to a fixed set of workers, one task per worker at a time, highest priority first
 * (first come, first served within a priority). `pause()` stops handing out new tasks (running ones
 * finish); cancelled tasks leave the queue at once.
 */
export class Dispatcher {
  private readonly idle: RenderWorker[];
  private readonly queue: QueuedTask[] = [];
  private seq = 0;
  private isPaused = false;
  private closed = false;

  constructor(readonly workers: readonly RenderWorker[]) {
    if (!workers.length) throw new Error('the dispatcher needs at least one worker');
    this.idle = [...workers];
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.workers.length - this.idle.length;
  }

  submit<T>(
    run: (worker: RenderWorker, signal: AbortSignal) => Promise<T>,
    options: { priority?: number; signal?: AbortSignal } = {},
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error('dispatcher is closed'));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<T>((resolve, reject) => {
      const task: QueuedTask = {
        priority: options.priority ?? Priority.final,
        seq: this.seq++,
        signal: options.signal,
        run,
        resolve: resolve as (v: unknown) => void,
        reject,
        onAbort: () => {
          const i = this.queue.indexOf(task);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new CancelledError());
          }
        },
      };
      options.signal?.addEventListener('abort', task.onAbort, { once: true });
      // Stable insert: after every task of the same or higher priority.
      let at = this.queue.findIndex((q) => q.priority < task.priority);
      if (at < 0) at = this.queue.length;
      this.queue.splice(at, 0, task);
      this.pump();
    });
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    this.pump();
  }

  /**
   * The workers' background plate (see `RenderWorker.backgroundPlate`), or null when they have
   * none. Every worker of a render draws the same character, so the first that has one answers
   * (the others are asked only if it has none).
   */
  async backgroundPlate(): Promise<RgbImage | null> {
    for (const w of this.workers) {
      const plate = await w.backgroundPlate?.();
      if (plate) return plate;
    }
    return null;
  }

  /**
   * The character warnings of the workers' setup (see `RenderWorker.warnings`): every worker draws
   * the same character, so the first that has the method answers.
   */
  async warnings(): Promise<CharacterWarning[]> {
    for (const w of this.workers) if (w.warnings) return w.warnings();
    return [];
  }

  /** Rejects queued tasks and closes the workers (after running tasks end). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new CancelledError('dispatcher closed'));
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private pump(): void {
    while (!this.isPaused && this.idle.length && this.queue.length) {
      const task = this.queue.shift()!;
      // Once running, cancelling is the task's business (it gets the signal).
      task.signal?.removeEventListener('abort', task.onAbort);
      if (task.signal?.aborted) {
        task.reject(new CancelledError());
        continue;
      }
      const worker = this.idle.shift()!;
      const signal = task.signal ?? new AbortController().signal;
      Promise.resolve()
        .then(() => task.run(worker, signal))
        .then(task.resolve, task.reject)
        .finally(() => {
          this.idle.push(worker);
          // Next task on a later turn: whoever awaited this one (e.g. a run that cancels its
          // queued work when a segment fails) reacts before the worker is handed on.
          setImmediate(() => this.pump());
        });
    }
  }
}
