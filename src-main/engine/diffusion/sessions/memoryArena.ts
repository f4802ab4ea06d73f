import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelSource } from './sessionProvider';

/**
 * Models with more weight bytes than this run without ONNX Runtime's CPU memory arena. An arena
 * keeps a session's largest activations for good; an SD-class pack's UNet writer/reader,
 * ControlNet and VAE each need hundreds of MB to GBs per run, so their arenas add their peaks up
 * (measured 5.35 GB vs 1.83 GB RSS for the same calls, docs/diffusion.md "Memory budget"), and
 * their runs are long enough that freeing buffers costs nothing visible. Small models (the tiny
 * test packs: a few MB) keep the arena: their runs are many small allocations, where it saves
 * 30–50 % of the CPU time.
 */
export const ARENA_FREE_WEIGHT_BYTES = 64 * 1024 * 1024;

/** Bytes of the model and the weight files beside it (external data lives in its folder). */
async function weightBytes(source: ModelSource): Promise<number> {
  const dir = source.kind === 'file' ? dirname(source.path) : source.externalDataDir;
  let total = source.kind === 'bytes' ? source.bytes.byteLength : 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile()) total += s.size;
  }
  return total;
}

/** Whether a session for `source` should use ONNX Runtime's CPU memory arena. */
export async function useCpuArena(source: ModelSource): Promise<boolean> {
  return (await weightBytes(source)) <= ARENA_FREE_WEIGHT_BYTES;
}
