import type { InferenceSession } from 'onnxruntime-node';

/**
 * Where a model comes from: a file, or bytes made in memory (a graph derived by surgery) whose
 * external weights stay in the original model's folder.
 */
export type ModelSource = (
  | { kind: 'file'; path: string; label: string }
  | { kind: 'bytes'; bytes: Uint8Array; externalDataDir: string; label: string }
) & {
  /**
   * Only these providers (CPU is not added): for a graph rewritten for one provider
   * (rewrite/rewriteForProvider.ts), which another provider might not run.
   */
  providers?: readonly string[];
};

/**
 * The seam to the engine's session pool: the diffusion pipeline asks for sessions here and gives
 * them back when it is disposed. The engine host provides PooledSessionProvider (the engine's
 * shared pool, provider choice per OS); tests and benchmarks open sessions in their own process
 * with test/helpers/diffusion/localSessionProvider.ts.
 */
export interface SessionProvider {
  /** The providers sessions are tried on, in order (CPU last); what graph rewrites target. */
  readonly providers: readonly string[];
  open(source: ModelSource): Promise<InferenceSession>;
  release(session: InferenceSession): Promise<void>;
}
