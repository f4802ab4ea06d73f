import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MemoryInputs } from '#shared/diffusion/memory/memoryEstimate';
import type { ModelShape } from '#shared/diffusion/memory/modelShape';
import type { ComponentFiles, PackManifest } from '#main/engine/diffusion/pack/packManifest';
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
 * UNet sessions holding their own copy of the UNet weights today: the plain UNet of openPack,
 * and the bank writer and reader of ReferenceUnet (ONNX Runtime loads external data per session).
 */
export const UNET_SESSIONS = 3;

async function componentBytes(files: ComponentFiles | undefined): Promise<number> {
  if (!files) return 0;
  const sizes = await Promise.all(
    [files.model, ...files.externalData.map((f) => resolve(files.dir, f))].map(
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
  const unet = attentionShapes(await readFile(c.unet!.model));
  const controlnet = c.controlnet ? attentionShapes(await readFile(c.controlnet.model)) : null;
  const unetBytes = await componentBytes(c.unet);
  const others = await Promise.all(
    (['text_encoder', 'vae_encoder', 'vae_decoder', 'controlnet'] as const).map((k) =>
      componentBytes(c[k]),
    ),
  );
  return {
    unet,
    controlnet,
    decoderChannels: decoderChannels(await readFile(c.vae_decoder!.model)),
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
