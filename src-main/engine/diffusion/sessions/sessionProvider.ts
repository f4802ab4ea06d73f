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
 * them back when it is disposed. LocalSessionProvider opens them in-process; the engine host can
 * provide its own (shared pool, provider choice per OS) with the same two methods.
 */
export interface SessionProvider {
  open(source: ModelSource): Promise<InferenceSession>;
  release(session: InferenceSession): Promise<void>;
}
