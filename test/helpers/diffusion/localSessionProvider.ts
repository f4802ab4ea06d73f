import { useCpuArena } from '#main/engine/diffusion/sessions/memoryArena';
import * as ort from 'onnxruntime-node';
import { sessionConfig } from '#main/engine/sessionConfig';
import type { ModelSource, SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';

export interface LocalSessionOptions {
  /** ORT execution providers in preference order; CPU is always the fallback. */
  executionProviders?: string[];
  intraOpNumThreads?: number;
  /** ONNX Runtime's CPU arena: default as the engine decides (memoryArena.ts); false forces it off. */
  cpuMemArena?: boolean;
}

/** Opens ONNX Runtime sessions in this process. */
export class LocalSessionProvider implements SessionProvider {
  private readonly open_ = new Set<ort.InferenceSession>();

  constructor(private readonly options: LocalSessionOptions = {}) {}

  get providers(): readonly string[] {
    return [...new Set([...(this.options.executionProviders ?? []), 'cpu'])];
  }

  async open(source: ModelSource): Promise<ort.InferenceSession> {
    const base: ort.InferenceSession.SessionOptions = {
      executionProviders: [...(source.providers ?? this.providers)],
      graphOptimizationLevel: 'all',
      // As the engine's diffusion sessions (PooledSessionProvider): no arena for large models.
      enableCpuMemArena: this.options.cpuMemArena ?? (await useCpuArena(source)),
      ...(this.options.intraOpNumThreads
        ? { intraOpNumThreads: this.options.intraOpNumThreads }
        : {}),
    };
    const options = {
      ...base,
      extra: sessionConfig(source.kind === 'bytes' ? source.externalDataDir : undefined),
    };
    try {
      const session =
        source.kind === 'file'
          ? await ort.InferenceSession.create(source.path, options)
          : await ort.InferenceSession.create(source.bytes, options);
      this.open_.add(session);
      return session;
    } catch (cause) {
      throw new Error(`ONNX Runtime could not load ${source.label}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  async release(session: ort.InferenceSession): Promise<void> {
    if (this.open_.delete(session)) await session.release();
  }

  /** Sessions still open (for leak checks in tests). */
  get openCount(): number {
    return this.open_.size;
  }
}
