import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import { memoryReport } from '#shared/diffusion/memory/memoryReport';
import { createSampler } from '#shared/diffusion/schedulers/createSampler';
import { renderConditioning, stickScaleFor } from '#shared/pose/conditioning';
import type { PoseFrame } from '#shared/pose/types';
import { Denoiser } from '#main/engine/diffusion/pipeline/denoiser';
import type { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { memoryInputs } from '#main/engine/diffusion/pipeline/packMemory';
import { encodePrompt } from '#main/engine/diffusion/pipeline/textConditioning';
import { ReferenceFidelity } from './referenceFidelity';
import type { DiffusionWorkerSettings, DiffusionWorkerStats, Prepared } from './workerSettings';

/**
 * What every call needs. `call`: the largest batch its denoiser calls will get (frames of a
 * window, the fused anchor) and the reference copies in the bank (chained feedback adds some),
 * for the memory budget's split.
 */
export async function prepareCall(
  generator: DiffusionGenerator,
  s: DiffusionWorkerSettings,
  stats: DiffusionWorkerStats,
  call: { frames: number; anchor: boolean; bankCopies: number },
): Promise<Prepared> {
  const { width, height } = s.reference;
  const memory = memoryReport(
    memoryInputs(generator.memory, {
      width,
      height,
      bankCopies: call.bankCopies,
      crossFrame: s.crossFrame === 'previous',
    }),
    { windowFrames: call.frames, anchor: call.anchor, guided: s.guidanceScale !== 1 },
    s.memoryBudgetBytes ?? null,
  );
  stats.itemsPerCall = Math.max(stats.itemsPerCall, memory.plan.itemsPerCall);
  const frame = (points: Float64Array): PoseFrame => ({
    width,
    height,
    people: [{ id: 0, points }],
  });
  const pack = generator.pack;
  const denoiser = new Denoiser(pack, generator.unet, {
    guidanceScale: s.guidanceScale,
    conditioningScale: s.conditioningScale ?? 1,
    latentHeight: height / 8,
    latentWidth: width / 8,
    maxItemsPerCall: memory.plan.itemsPerCall,
    styleFidelity: s.styleFidelity ?? 0,
  });
  const text = await encodePrompt(
    pack,
    s.prompt,
    denoiser.usesGuidance ? (s.negativePrompt ?? '') : null,
  );
  const withControl = pack.signatures.controlnet !== null;
  const drawing = { stickScale: stickScaleFor(s.stickWidth ?? 'classic') };
  const condition = (pose: PoseFrame) =>
    withControl ? imageToPlanar(renderConditioning(pose, drawing), 0, 1) : null;
  const { bank, referenceCondition, referenceLatent } = await generator.referenceBank(
    denoiser,
    text,
    s.reference,
    frame(s.referencePose),
    s.conditioningScale ?? 1,
    s.referenceTimestep ?? 0,
    s.stickWidth ?? 'classic',
  );
  const sampler = createSampler(s.sampler ?? 'ddim', pack.manifest.scheduler, s.steps);
  stats.bankTokens = bank.tokens;
  const fidelity = new ReferenceFidelity({
    mode: s.referenceMode ?? 'clean',
    adain: s.referenceAdain ?? false,
    seed: s.seed,
    denoiser,
    sampler,
    scheduler: pack.manifest.scheduler,
    text,
    referenceLatent,
    referenceCondition,
    cleanBank: bank,
  });
  return {
    denoiser,
    fidelity,
    framesPerDecode: memory.plan.framesPerDecode,
    text,
    bank,
    referenceCondition,
    referenceLatent,
    sampler,
    frame,
    condition,
  };
}
