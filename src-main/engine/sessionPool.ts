/**
 * ONNX Runtime sessions, one per model and device. Runs on one session are serialized (a queue
 * per session); sessions idle for `idleMs` are released. A session that fails to create on a
 * GPU provider is retried on CPU and the reason is kept for the engine's report. Sessions that a
 * caller holds for longer (the diffusion generator's, see diffusion/sessions/pooledSessionProvider)
 * come from `openSession` with the same provider order, threads and fallback.
 */
import * as ort from 'onnxruntime-node';
import { sessionConfig } from './sessionConfig';
import { providerFailedReason } from '#shared/providers/providerProblems';

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
  private readonly held = new Set<ort.InferenceSession>();
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
    const { session, provider } = await this.createSession(modelId, bytes);
    return { session, provider, queue: Promise.resolve(), lastUsed: Date.now() };
  }

  /**
   * Creates a session on the first provider that accepts it (GPU → CPU), recording why a
   * preferred provider was skipped. `providers` overrides the pool's order for this session.
   */
  private async createSession(
    label: string,
    model: Uint8Array | string,
    options: {
      providers?: readonly string[];
      externalDataDir?: string;
      /** ONNX Runtime's CPU memory arena (default on); see openSession. */
      cpuMemArena?: boolean;
    } = {},
  ): Promise<{ session: ort.InferenceSession; provider: string; fallback?: string }> {
    const errors: string[] = [];
    for (const provider of options.providers ?? this.options.providers) {
      try {
        const sessionOptions: ort.InferenceSession.SessionOptions = {
          executionProviders: [provider],
          intraOpNumThreads: this.options.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
          ...(options.cpuMemArena === false ? { enableCpuMemArena: false } : {}),
          extra: sessionConfig(options.externalDataDir),
        };
        const session =
          typeof model === 'string'
            ? await ort.InferenceSession.create(model, sessionOptions)
            : await ort.InferenceSession.create(model, sessionOptions);
        const fallback =
          errors.length > 0
            ? `${label}: fell back to ${provider} (${errors.join('; ')})`
            : undefined;
        this.fallbackReason ??= fallback;
        this.activeProvider = provider;
        return { session, provider, ...(fallback ? { fallback } : {}) };
      } catch (e) {
        errors.push(providerFailedReason(provider, (e as Error).message));
      }
    }
    throw new Error(`cannot create a session for ${label}: ${errors.join('; ')}`);
  }

  /**
   * A session the caller holds and runs itself (the diffusion pipeline keeps its sessions for a
   * whole render): same provider order, threads and fallback as pooled ones, released with
   * `releaseSession` or when the pool closes. Not subject to idle release (its owner decides).
   * `cpuMemArena: false` gives activations back after every run instead of keeping them in the
   * session's arena: diffusion sessions (UNet writer and reader, ControlNet, VAE) each need
   * hundreds of MB to GBs per run, and arenas that never shrink would add all their peaks up
   * (measured: 5.35 GB RSS with arenas vs 1.83 GB without for the same calls, see
   * docs/diffusion.md "Memory budget").
   */
  async openSession(
    label: string,
    model: Uint8Array | string,
    options: {
      providers?: readonly string[];
      externalDataDir?: string;
      cpuMemArena?: boolean;
    } = {},
  ): Promise<{ session: ort.InferenceSession; provider: string; fallback?: string }> {
    const created = await this.createSession(label, model, options);
    this.held.add(created.session);
    return created;
  }

  async releaseSession(session: ort.InferenceSession): Promise<void> {
    if (this.held.delete(session)) await session.release();
  }

  /** Sessions handed out by `openSession` and not yet released. */
  get heldCount(): number {
    return this.held.size;
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
    for (const session of this.held) await session.release();
    this.held.clear();
  }
}
