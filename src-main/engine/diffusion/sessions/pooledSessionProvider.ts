import { useCpuArena } from './memoryArena';
import type { InferenceSession } from 'onnxruntime-node';
import type { SessionPool } from '#main/engine/sessionPool';
import type { ModelSource, SessionProvider } from './sessionProvider';

export interface PooledSessionOptions {
  /** Provider order for these sessions (default: the pool's); CPU stays the last resort. */
  providers?: readonly string[];
  /**
   * Awaited before every run: the engine host yields to its event loop here (ONNX Runtime's
   * run() blocks the thread, so without a turn a `cancel` message would wait for the whole
   * render) and counts runs for the request in flight.
   */
  beforeRun?: () => Promise<void>;
}

/**
 * The diffusion pipeline's sessions from the engine's SessionPool: the pool's provider order
 * (cuda/dml/coreml → cpu), threads, no spinning and GPU → CPU fallback reason apply to them.
 * Runs on one session are serialized (several workers may share a generator), as the pool does
 * for its own sessions. Release (idle or at close) is the owner's: the pipeline holds its sessions
 * for a whole render, so the host releases a generator as a whole (see host/diffusionHost.ts).
 */
export class PooledSessionProvider implements SessionProvider {
  private readonly wrapped = new Map<InferenceSession, InferenceSession>();
  /** Providers the sessions actually run on (one entry per open session). */
  private readonly devices = new Map<InferenceSession, string>();
  /** Why a preferred provider was not used for one of these sessions (the first reason). */
  fallbackReason: string | undefined;

  constructor(
    private readonly pool: SessionPool,
    private readonly options: PooledSessionOptions = {},
  ) {}

  /**
   * The provider order of these sessions. Without an explicit order the pool's own applies,
   * which this class cannot see: CPU is then assumed, so rewrites produce graphs every provider
   * runs (standard ops), at some speed cost on a GPU.
   */
  get providers(): readonly string[] {
    return this.options.providers ?? ['cpu'];
  }

  async open(source: ModelSource): Promise<InferenceSession> {
    const providers = source.providers ?? this.options.providers;
    const poolOptions = {
      // Large models free their activations after each run (memoryArena.ts, docs/diffusion.md).
      cpuMemArena: await useCpuArena(source),
      ...(providers ? { providers } : {}),
      ...(source.kind === 'bytes' ? { externalDataDir: source.externalDataDir } : {}),
    };
    let created;
    try {
      created = await this.pool.openSession(
        source.label,
        source.kind === 'file' ? source.path : source.bytes,
        poolOptions,
      );
    } catch (cause) {
      throw new Error(`ONNX Runtime could not load ${source.label}: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.fallbackReason ??= created.fallback;
    const proxy = serialized(created.session, this.options.beforeRun);
    this.wrapped.set(proxy, created.session);
    this.devices.set(proxy, created.provider);
    return proxy;
  }

  async release(session: InferenceSession): Promise<void> {
    const inner = this.wrapped.get(session);
    if (!inner) return;
    this.wrapped.delete(session);
    this.devices.delete(session);
    await this.pool.releaseSession(inner);
  }

  /** The provider most sessions run on ('cpu' when none is open). */
  get device(): string {
    const counts = new Map<string, number>();
    for (const d of this.devices.values()) counts.set(d, (counts.get(d) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'cpu';
  }

  get openCount(): number {
    return this.wrapped.size;
  }
}

/** The session with `run` queued behind the previous run (and `beforeRun` awaited first). */
function serialized(
  session: InferenceSession,
  beforeRun: (() => Promise<void>) | undefined,
): InferenceSession {
  let queue: Promise<unknown> = Promise.resolve();
  const run = (...args: unknown[]) => {
    const result = queue.then(async () => {
      await beforeRun?.();
      return (session.run as (...a: unknown[]) => Promise<unknown>).apply(session, args);
    });
    queue = result.catch(() => undefined);
    return result;
  };
  return new Proxy(session, {
    get(target, key) {
      if (key === 'run') return run;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
