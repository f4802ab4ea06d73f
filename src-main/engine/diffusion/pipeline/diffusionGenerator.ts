/**
 * The diffusion generator, src-main/engine/diffusion/, read top-down:
 *
 *   pack/        a pack folder: manifest, external weights, input/output signatures, identity
 *   rewrite/     graph rewrites: fused contrib ops → standard ops for a provider, attention forms,
 *                VAE encoder sample → mean
 *   surgery/     reference attention by ONNX graph surgery on the UNet (one reference UNet: bank
 *                writer, reader and plain UNet in one graph and one session)
 *   sessions/    the SessionProvider seam (the engine's pool: PooledSessionProvider)
 *   pipeline/    this file (pack + reference UNet + the reference bank, memoised and cached on
 *                disk), the denoiser (ControlNet + CFG + bank), text encoding, VAE, sampling
 *   strategies/  the long-video orchestration, one for every caller: DiffusionWorker renders a
 *                RenderPlan's segments (chunks, interleaved anchors and transitions, chained
 *                windows, fused groups); renderVideo plans a whole video and runs it through a
 *                DiffusionWorker in order (tests, benchmark)
 *   host/        the engine side of the wire: opens generators, runs workers' segments
 *
 * The maths (schedulers, noise, latent maths, fused/interleaved samplers, PoseCrafter) is pure and
 * lives in src-shared/diffusion/; the scheduler's adapter is src-main/scheduler/workers/
 * engineDiffusionWorkers.ts.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import { renderConditioning, stickScaleFor, type StickWidth } from '#shared/pose/conditioning';
import type { PoseFrame } from '#shared/pose/types';
import { openPack, type OpenPack } from '#main/engine/diffusion/pack/openPack';
import { componentIdentity } from '#main/engine/diffusion/pack/packIdentity';
import { checkPackRuns } from '#main/engine/diffusion/pack/packFitness';
import { loadPackManifest, type PackSources } from '#main/engine/diffusion/pack/packManifest';
import { availableProviders, resolveProviders } from '#main/engine/providers';
import type { SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';
import { ReferenceUnet, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import type { Denoiser, TextConditioning } from './denoiser';
import { ReferenceBankCache } from './referenceBankCache';
import { readPackMemory, type PackMemory } from './packMemory';
import { encodeImage } from './vae';

/**
 * The diffusion generator on one pack: its sessions and the reference bank, computed once per
 * render (or read from the on-disk cache) and shared by every segment and step. Frames are made
 * by strategies/ (DiffusionWorker, renderVideo) over it.
 */
export class DiffusionGenerator {
  private constructor(
    readonly pack: OpenPack,
    readonly unet: ReferenceUnet,
    private readonly unetId: string,
    private readonly bankCache: ReferenceBankCache,
    /** The pack's shapes and weight bytes for the memory estimate (read once at open). */
    readonly memory: PackMemory,
  ) {}

  /** Banks of the last few references used in this process (a render's segments share one). */
  private readonly recentBanks = new Map<string, ReferenceBank>();
  /** Banks being computed or read right now, by key (one pass however many workers ask). */
  private readonly pendingBanks = new Map<
    string,
    Promise<{ bank: ReferenceBank; fromCache: boolean }>
  >();

  static async open(
    sources: string | PackSources,
    provider: SessionProvider,
    options: { bankCacheDir?: string | null } = {},
  ): Promise<DiffusionGenerator> {
    const manifest = await loadPackManifest(sources);
    // Before any session opens: a pack these providers cannot run is refused in one line.
    checkPackRuns(manifest, usableProviders(provider.providers));
    const pack = await openPack(manifest, provider);
    try {
      const unetPath = manifest.components.unet!.path;
      // Graph and external weights by content (sampled for large files): new UNet weights must
      // not reuse an old reference bank, and hashing gigabytes on every open is not acceptable.
      const unetId = await componentIdentity(manifest.components.unet!);
      const memory = await readPackMemory(manifest, {
        float16: pack.signatures.unet.floatType === 'float16',
      });
      const unet = await ReferenceUnet.open(unetPath, provider);
      return new DiffusionGenerator(
        pack,
        unet,
        unetId,
        new ReferenceBankCache(options.bankCacheDir ?? null),
        memory,
      );
    } catch (error) {
      await pack.dispose();
      throw error;
    }
  }

  /**
   * The reference bank for these settings: from memory (segments of one render in this process),
   * else from the disk cache, else one writer pass. Shared by every window and step.
   */
  async referenceBank(
    denoiser: Denoiser,
    text: TextConditioning,
    reference: RgbImage,
    referencePose: PoseFrame,
    conditioningScale: number,
    referenceTimestep: number,
    stickWidth: StickWidth = 'classic',
  ): Promise<{
    bank: ReferenceBank;
    fromCache: boolean;
    referenceLatent: Float32Array;
    referenceCondition: Float32Array | null;
  }> {
    const referenceLatent = await encodeImage(this.pack, reference);
    const referenceCondition =
      this.pack.signatures.controlnet !== null
        ? imageToPlanar(
            renderConditioning(referencePose, { stickScale: stickScaleFor(stickWidth) }),
            0,
            1,
          )
        : null;
    const key = ReferenceBankCache.key([
      this.unetId,
      referenceLatent,
      referenceTimestep,
      text.cond,
      referenceCondition,
      conditioningScale,
    ]);
    const remembered = this.recentBanks.get(key);
    if (remembered)
      return { bank: remembered, fromCache: true, referenceLatent, referenceCondition };
    // Single flight: several workers over this generator start their first segments together;
    // the first computes (or reads) the bank, the others wait for that same promise.
    const pending = this.pendingBanks.get(key);
    if (pending) {
      const { bank } = await pending;
      return { bank, fromCache: true, referenceLatent, referenceCondition };
    }
    const flight = this.bankCache
      .getOrCompute(key, this.unet.slots, () =>
        denoiser.writeBank(referenceLatent, referenceTimestep, text, referenceCondition),
      )
      .then((r) => {
        this.recentBanks.set(key, r.bank);
        if (this.recentBanks.size > 4)
          this.recentBanks.delete(this.recentBanks.keys().next().value!);
        return r;
      })
      .finally(() => this.pendingBanks.delete(key));
    this.pendingBanks.set(key, flight);
    const { bank, fromCache } = await flight;
    return { bank, fromCache, referenceLatent, referenceCondition };
  }

  async dispose(): Promise<void> {
    await this.unet.dispose();
    await this.pack.dispose();
  }
}

export type { ReferenceBank };

/** The providers sessions can really be created on here (unavailable ones are skipped; CPU last). */
function usableProviders(requested: readonly string[] | undefined): string[] {
  // The engine's own rule (what this build lacks is skipped, CPU last), CPU alone by default.
  return resolveProviders(requested?.length ? [...requested] : ['cpu'], availableProviders())
    .providers;
}
