/**
 * ONNX Runtime sessions, one per model and device. Runs on one session are serialized (a queue
 * per session); sessions idle for `idleMs` are released. A session that fails to create on a
 * GPU provider is retried on CPU and the reason is kept for the engine's report.
 */
import * as ort from 'onnxruntime-node';

export interface PoolOptions {
  providers: string[];
  threads: number;
  idleMs?: number;
}

interface Entry {
  session: ort.InferenceSession;
  provider: string;
  queue: Promise<unknown>;
  lastUsed: number;
}

export class SessionPool {
  private readonly sessions = new Map<string, Promise<Entry>>();
  private readonly timer: NodeJS.Timeout;
  /** Why a preferred provider was not used (first failure), if any. */
  fallbackReason: string | undefined;
  /** The provider the last created session actually runs on. */
  activeProvider = 'cpu';

  constructor(private readonly options: PoolOptions) {
    // Provider probing failures are reported through fallbackReason; keep ORT's own log quiet.
    ort.env.logLevel = 'fatal';
    const idle = options.idleMs ?? 5 * 60_000;
    this.timer = setInterval(() => void this.releaseIdle(idle), Math.min(idle, 30_000));
    this.timer.unref();
  }

  private async create(modelId: string, bytes: Uint8Array): Promise<Entry> {
    const errors: string[] = [];
    for (const provider of this.options.providers) {
      try {
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [provider],
          intraOpNumThreads: this.options.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
          // ORT's intra-op threads spin while waiting for work by default. Measured on the puppet
          // warp at 512² with 2 threads: 24 ms CPU per 12 ms frame spinning, 16 ms without, for
          // the same wall time — CPU the render's main process and ffmpeg need.
          extra: { session: { intra_op: { allow_spinning: '0' } } },
        });
        if (errors.length > 0 && !this.fallbackReason)
          this.fallbackReason = `${modelId}: fell back to ${provider} (${errors.join('; ')})`;
        this.activeProvider = provider;
        return { session, provider, queue: Promise.resolve(), lastUsed: Date.now() };
      } catch (e) {
        errors.push(`${provider} failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    throw new Error(`cannot create a session for ${modelId}: ${errors.join('; ')}`);
  }

  /** Gets (creating on first use) the session of a model; `load` supplies the model bytes. */
  private entry(modelId: string, load: () => Promise<Uint8Array>): Promise<Entry> {
    let e = this.sessions.get(modelId);
    if (!e) {
      e = load().then((bytes) => this.create(modelId, bytes));
      // A failed creation is not cached: the next call tries again.
      e.catch(() => this.sessions.delete(modelId));
      this.sessions.set(modelId, e);
    }
    return e;
  }

  async inputNames(modelId: string, load: () => Promise<Uint8Array>): Promise<readonly string[]> {
    return (await this.entry(modelId, load)).session.inputNames;
  }

  async outputNames(modelId: string, load: () => Promise<Uint8Array>): Promise<readonly string[]> {
    return (await this.entry(modelId, load)).session.outputNames;
  }

  /** Runs the model; calls on the same session run one after another. */
  async run(
    modelId: string,
    load: () => Promise<Uint8Array>,
    feeds: Record<string, ort.Tensor>,
  ): Promise<ort.InferenceSession.ReturnType> {
    const entry = await this.entry(modelId, load);
    const result = entry.queue.then(() => {
      entry.lastUsed = Date.now();
      return entry.session.run(feeds);
    });
    entry.queue = result.catch(() => undefined);
    return result;
  }

  async releaseIdle(idleMs: number): Promise<void> {
    const now = Date.now();
    for (const [id, p] of this.sessions) {
      const e = await p.catch(() => undefined);
      if (!e || now - e.lastUsed < idleMs) continue;
      this.sessions.delete(id);
      await e.queue;
      await e.session.release();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const p of this.sessions.values()) {
      const e = await p.catch(() => undefined);
      if (e) {
        await e.queue;
        await e.session.release();
      }
    }
    this.sessions.clear();
  }
}
