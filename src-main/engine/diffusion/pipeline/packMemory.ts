import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MemoryInputs } from '#shared/diffusion/memory/memoryEstimate';
import type { ModelShape } from '#shared/diffusion/memory/modelShape';
import type { PackManifest } from '#main/engine/diffusion/pack/packManifest';
import type { PackModel } from '#main/engine/diffusion/pack/packModel';
import { attentionShapes, decoderChannels } from './attentionShapes';

/** What the memory estimate reads from a pack once: model shapes, resident weight bytes. */
export interface PackMemory {
  unet: ModelShape;
  controlnet: ModelShape | null;
  /** Bytes of weights resident while rendering, each session's copy counted. */
  weightBytes: number;
  /** 2 for a float16 UNet, else 4. */
  valueBytes: number;
  /** Channels of the VAE decoder's last block (its full-resolution activations). */
  decoderChannels: number;
}

/**
 * UNet sessions holding a copy of the UNet weights: one, the reference UNet (bank writer, reader
 * and plain UNet in one graph, surgery/referenceUnet.ts); openPack opens no plain UNet.
 */
export const UNET_SESSIONS = 1;

async function componentBytes(files: PackModel | undefined): Promise<number> {
  if (!files) return 0;
  const sizes = await Promise.all(
    [files.path, ...files.externalData.map((f) => resolve(files.dir, f.location))].map(
      async (f) => (await stat(f)).size,
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export async function readPackMemory(
  manifest: PackManifest,
  options: { unetSessions?: number; float16?: boolean } = {},
): Promise<PackMemory> {
  const c = manifest.components;
  const unet = attentionShapes(await readFile(c.unet!.path));
  const controlnet = c.controlnet ? attentionShapes(await readFile(c.controlnet.path)) : null;
  const unetBytes = await componentBytes(c.unet);
  const others = await Promise.all(
    (['text_encoder', 'vae_encoder', 'vae_decoder', 'controlnet'] as const).map((k) =>
      componentBytes(c[k]),
    ),
  );
  return {
    unet,
    controlnet,
    decoderChannels: decoderChannels(await readFile(c.vae_decoder!.path)),
    weightBytes:
      unetBytes * (options.unetSessions ?? UNET_SESSIONS) + others.reduce((a, b) => a + b, 0),
    valueBytes: options.float16 ? 2 : 4,
  };
}

/** The estimate's inputs for a render at `width` × `height` pixels. */
export function memoryInputs(
  pack: PackMemory,
  render: { width: number; height: number; bankCopies?: number; crossFrame?: boolean },
): MemoryInputs {
  return {
    unet: pack.unet,
    controlnet: pack.controlnet,
    weightBytes: pack.weightBytes,
    latentHeight: Math.ceil(render.height / 8),
    latentWidth: Math.ceil(render.width / 8),
    bankCopies: render.bankCopies ?? 1,
    crossFrame: render.crossFrame ?? false,
    textTokens: 77,
    valueBytes: pack.valueBytes,
    decoderChannels: pack.decoderChannels,
  };
}
