import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { ClipTokenizer } from '#shared/diffusion/tokenizer/clipTokenizer';
import type { onnx } from 'onnx-proto';
import { vaeEncoderToMean } from '#main/engine/diffusion/rewrite/vaeEncoderMean';
import { openForProvider } from '#main/engine/diffusion/sessions/openForProvider';
import { tileSelfAttentions } from '#main/engine/diffusion/surgery/tiledAttention';
import type { SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';
import { PackError } from './packError';
import { checkPackAgreement } from './modelRoles';
import type { ModelComponent, PackManifest } from './packManifest';
import type {
  ControlnetSignature,
  ModelSignature,
  RecognisedModel,
  TextEncoderSignature,
  UnetSignature,
  VaeDecoderSignature,
  VaeEncoderSignature,
} from './signatures';

/**
 * The UNet has no session here: structure recognition (packManifest.ts) read its signature from
 * the file, and the one UNet session of a render is the reference UNet (surgery/referenceUnet.ts),
 * so the weights are not held twice.
 */
export interface PackSessions {
  textEncoder: InferenceSession;
  vaeEncoder: InferenceSession;
  vaeDecoder: InferenceSession;
  controlnet: InferenceSession | null;
}

/** A checked pack with its sessions open. `dispose()` hands the sessions back. */
export interface OpenPack {
  manifest: PackManifest;
  tokenizer: ClipTokenizer;
  sessions: PackSessions;
  signatures: {
    textEncoder: TextEncoderSignature;
    unet: UnetSignature;
    vaeEncoder: VaeEncoderSignature;
    vaeDecoder: VaeDecoderSignature;
    controlnet: ControlnetSignature | null;
  };
  dispose(): Promise<void>;
}

export function sessionSignature(session: InferenceSession): ModelSignature {
  const convert = (list: readonly InferenceSession.ValueMetadata[]) =>
    list.flatMap((m) => (m.isTensor ? [{ name: m.name, type: m.type, shape: m.shape }] : []));
  return { inputs: convert(session.inputMetadata), outputs: convert(session.outputMetadata) };
}

export async function loadTokenizer(manifest: PackManifest): Promise<ClipTokenizer> {
  const read = async (path: string, rel: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch {
      throw new PackError(`${rel} cannot be read`, rel);
    }
  };
  const parse = (text: string, rel: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PackError(`${rel} is not valid JSON`, rel);
    }
  };
  try {
    return new ClipTokenizer({
      vocab: parse(
        await read(manifest.tokenizer.vocab, 'tokenizer/vocab.json'),
        'tokenizer/vocab.json',
      ),
      merges: await read(manifest.tokenizer.merges, 'tokenizer/merges.txt'),
      ...(manifest.tokenizer.config
        ? {
            config: parse(
              await read(manifest.tokenizer.config, 'tokenizer/tokenizer_config.json'),
              'tokenizer/tokenizer_config.json',
            ),
          }
        : {}),
    });
  } catch (cause) {
    if (cause instanceof PackError) throw cause;
    throw new PackError((cause as Error).message, 'tokenizer');
  }
}

function encoderMean(model: onnx.IModelProto): string[] {
  const change = vaeEncoderToMean(model.graph!);
  return change ? [change] : [];
}

/** Opens every component through `provider` and checks names, types and agreement between them. */
export async function openPack(
  manifest: PackManifest,
  provider: SessionProvider,
): Promise<OpenPack> {
  const opened: InferenceSession[] = [];
  const open = async (component: ModelComponent) => {
    const files = manifest.components[component];
    if (!files) return null;
    try {
      // Rewritten for the provider when it lacks a fused op (rewrite/rewriteForProvider.ts); the
      // VAE encoder returns the latent mean, so a reference latent is the same on every run; the
      // ControlNet's self-attention is tiled (surgery/tiledAttention.ts), as the UNet's is.
      const { session } = await openForProvider(
        provider,
        files.path,
        files.rel,
        component === 'vae_encoder'
          ? encoderMean
          : component === 'controlnet'
            ? tileSelfAttentions
            : undefined,
      );
      opened.push(session);
      return session;
    } catch (cause) {
      throw new PackError((cause as Error).message, files.rel);
    }
  };
  /** The signature structure recognition found for a role (the manifest checked it is there). */
  const sig = <R extends RecognisedModel['role']>(role: R) => {
    const r = manifest.components[role]?.recognised;
    return r && r.role === role
      ? (r.signature as Extract<RecognisedModel, { role: R }>['signature'])
      : null;
  };
  try {
    const tokenizer = await loadTokenizer(manifest);
    const textEncoder = (await open('text_encoder'))!;
    const vaeEncoder = (await open('vae_encoder'))!;
    const vaeDecoder = (await open('vae_decoder'))!;
    const controlnet = await open('controlnet');
    const signatures = {
      textEncoder: sig('text_encoder')!,
      unet: sig('unet')!,
      vaeEncoder: sig('vae_encoder')!,
      vaeDecoder: sig('vae_decoder')!,
      controlnet: controlnet ? sig('controlnet') : null,
    };
    checkPackAgreement(signatures.textEncoder, signatures.unet, signatures.controlnet, {
      unet: manifest.components.unet!.rel,
      controlnet: manifest.components.controlnet?.rel ?? 'controlnet',
    });
    let disposed = false;
    return {
      manifest,
      tokenizer,
      sessions: { textEncoder, vaeEncoder, vaeDecoder, controlnet },
      signatures,
      async dispose() {
        if (disposed) return;
        disposed = true;
        for (const s of opened) await provider.release(s);
      },
    };
  } catch (error) {
    for (const s of opened) await provider.release(s);
    throw error;
  }
}
