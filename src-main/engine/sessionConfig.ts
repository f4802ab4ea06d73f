/**
 * ORT session config entries (`SessionOptions.extra`) every session of the studio uses.
 *
 * - Intra-op threads do not spin while waiting for work. ORT spins by default: measured on the
 *   puppet warp at 512² with 2 threads, 24 ms CPU per 12 ms frame spinning vs 16 ms without, for
 *   the same wall time; a 64² tiny-pack diffusion segment went from ~0.36 s to 1.4–3.6 s on a
 *   busy machine. That CPU belongs to the render's main process, ffmpeg and the UI.
 * - A model held in memory (a graph derived by surgery) finds its external weight files in
 *   `externalDataDir` (ORT refuses to load it otherwise).
 */
export function sessionConfig(externalDataDir?: string): Record<string, unknown> {
  return {
    session: {
      intra_op: { allow_spinning: '0' },
      ...(externalDataDir ? { model_external_initializers_file_folder_path: externalDataDir } : {}),
    },
  };
}
