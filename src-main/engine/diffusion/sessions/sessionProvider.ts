import type { InferenceSession } from 'onnxruntime-node';

/**
 * Where a model comes from: a file, or bytes made in memory (a graph derived by surgery) whose
 * external weights stay in the original model's folder.
 */
export type ModelSource =
  | { kind: 'file'; path: string; label: string }
  | { kind: 'bytes'; bytes: Uint8Array; externalDataDir: string; label: string };

/**
 * The seam to the engine's session pool: the diffusion pipeline asks for sessions here and gives
 * them back when it is disposed. The engine host provides PooledSessionProvider (the engine's
 * shared pool, provider choice per OS); tests and benchmarks open sessions in their own process
 * with test/helpers/diffusion/localSessionProvider.ts.
 */
export interface SessionProvider {
  /**
   * The ONNX Runtime providers sessions will be created on, in order (absent: the engine's
   * default). The pack check refuses models these cannot run before any session opens.
   */
  readonly executionProviders?: readonly string[];
  open(source: ModelSource): Promise<InferenceSession>;
  release(session: InferenceSession): Promise<void>;
}
