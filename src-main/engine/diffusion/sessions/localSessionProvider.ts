import * as ort from 'onnxruntime-node';
import type { ModelSource, SessionProvider } from './sessionProvider';

export interface LocalSessionOptions {
  /** ORT execution providers in preference order; CPU is always the fallback. */
  executionProviders?: string[];
  intraOpNumThreads?: number;
}

/** Opens ONNX Runtime sessions in this process. */
export class LocalSessionProvider implements SessionProvider {
  private readonly open_ = new Set<ort.InferenceSession>();

  constructor(private readonly options: LocalSessionOptions = {}) {}

  async open(source: ModelSource): Promise<ort.InferenceSession> {
    const base: ort.InferenceSession.SessionOptions = {
      executionProviders: [...(this.options.executionProviders ?? []), 'cpu'],
      graphOptimizationLevel: 'all',
      ...(this.options.intraOpNumThreads
        ? { intraOpNumThreads: this.options.intraOpNumThreads }
        : {}),
    };
    // ORT's intra-op threads spin between ops by default: on a busy machine (2 cores shared with
    // ffmpeg, the UI, other work) that took a 64² tiny-pack segment from ~0.36 s to 1.4–3.6 s of
    // wall time and ~3× the CPU per denoiser call. Same setting as the engine's SessionPool.
    const intraOp = { intra_op: { allow_spinning: '0' } };
    try {
      const session =
        source.kind === 'file'
          ? await ort.InferenceSession.create(source.path, { ...base, extra: { session: intraOp } })
          : await ort.InferenceSession.create(source.bytes, {
              ...base,
              // Lets a model held in memory find its weight files (ORT refuses otherwise).
              extra: {
                session: {
                  ...intraOp,
                  model_external_initializers_file_folder_path: source.externalDataDir,
                },
              },
            });
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
